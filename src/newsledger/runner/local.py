"""Run the NLP pipeline over a stream of articles, in this process or in N worker processes.

Each worker loads the spaCy pipeline once. Input is consumed lazily and
results come back in input order, so memory does not grow with the input.
An article that makes the pipeline fail becomes a ``Rejected`` and the rest go on.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator

from newsledger.models import Article, Extraction, Rejected
from newsledger.nlp.pipeline import extract, extract_many, load_pipeline

__all__ = ["run_pipeline"]

_worker_model: str | None = None


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _extract_chunk(chunk: list[Article], model: str | None) -> list[Extraction | Rejected]:
    """Extract a chunk in one ``nlp.pipe`` call; on failure, article by article."""
    nlp = load_pipeline(model)
    try:
        return list(extract_many(nlp, chunk, batch_size=len(chunk)))
    except Exception:  # one bad article must not sink its neighbours: retry them one by one
        results: list[Extraction | Rejected] = []
        for article in chunk:
            try:
                results.append(extract(nlp, article))
            except Exception as exc:
                results.append(Rejected(article.origin or article.id, f"extraction failed: {type(exc).__name__}: {exc}"))
        return results


def _init_worker(model: str | None) -> None:
    global _worker_model
    _worker_model = model
    load_pipeline(model)


def _extract_in_worker(chunk: list[Article]) -> list[Extraction | Rejected]:
    return _extract_chunk(chunk, _worker_model)


def run_pipeline(
    articles: Iterable[Article], *, model: str | None = None, workers: int = 1, chunk_size: int = 8
) -> Iterator[Extraction | Rejected]:
    """Extract every article, yielding an ``Extraction`` (or a ``Rejected``) per article, in order."""
    if workers <= 1:
        for chunk in _chunks(articles, chunk_size):
            yield from _extract_chunk(chunk, model)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
        for results in pool.imap(_extract_in_worker, _chunks(articles, chunk_size)):
            yield from results
