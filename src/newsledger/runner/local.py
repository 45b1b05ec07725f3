"""Run the NLP pipeline over a stream of articles: in this process, in N worker processes, or on Dask.

Each worker loads the spaCy pipeline once. Input is consumed lazily, with a
bounded number of chunks in flight, and results come back in input order, so
memory does not grow with the input. An article that makes the pipeline fail
becomes a ``Rejected`` and the rest go on.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult

from newsledger.models import Article
from newsledger.nlp.pipeline import load_pipeline
from newsledger.runner.chunks import Result, chunks, extract_chunk, in_order

__all__ = ["run_pipeline", "CHUNKS_IN_FLIGHT_PER_WORKER"]

# Two chunks per worker: one being extracted, one queued, so no worker waits.
CHUNKS_IN_FLIGHT_PER_WORKER = 2

_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    load_pipeline(model)


def _extract_in_worker(chunk: list[Article]) -> list[Result]:
    return extract_chunk(chunk, _worker_model)


def run_pipeline(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    workers: int = 1,
    chunk_size: int = 8,
    dask: str | None = None,
) -> Iterator[Result]:
    """Extract every article, yielding an ``Extraction`` (or a ``Rejected``) per article, in order.

    ``dask`` chooses the runner: None runs here (``workers`` processes);
    ``"local:N"`` or a scheduler address such as ``"tcp://host:8786"`` runs on Dask.
    """
    if dask:
        from newsledger.runner.dask import run_on_dask  # distributed is imported only when asked for

        yield from run_on_dask(articles, dask, model=model, chunk_size=chunk_size)
        return
    if workers <= 1:
        for chunk in chunks(articles, chunk_size):
            yield from extract_chunk(chunk, model)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:

        def submit(chunk: list[Article]) -> AsyncResult:
            return pool.apply_async(_extract_in_worker, (chunk,))

        def collect(chunk: list[Article], handle: AsyncResult) -> list[Result]:
            return handle.get()

        yield from in_order(chunks(articles, chunk_size), submit, collect, CHUNKS_IN_FLIGHT_PER_WORKER * workers)
