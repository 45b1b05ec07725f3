"""Run the NLP pipeline on Dask workers: a LocalCluster (``local:N``) or a running scheduler (``tcp://host:8786``).

Each worker loads the spaCy pipeline once, when a plugin is registered on it,
and keeps it for every later task. Tasks are chunks of articles; at most a few
chunks per worker are in flight, and results come back to this process in
input order, where the caller writes them through the store's single writer.

Workers on a remote cluster need newsledger and the spaCy model installed;
the client's ``NEWSLEDGER_*`` settings travel with the plugin so a worker
extracts exactly as this process would.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import dask
from distributed import Client, Future, LocalCluster, WorkerPlugin
from distributed.scheduler import KilledWorker

from newsledger.errors import NewsledgerError
from newsledger.models import Article
from newsledger.nlp.pipeline import load_pipeline
from newsledger.runner.chunks import Result, chunks, extract_chunk, in_order, reject_chunk
from newsledger.runner.local import CHUNKS_IN_FLIGHT_PER_WORKER

__all__ = ["DaskTarget", "parse_target", "run_on_dask"]

CONNECT_TIMEOUT_S = 30


@dataclass(frozen=True, slots=True)
class DaskTarget:
    """Where to run: ``local_workers`` processes on this machine, or the scheduler at ``address``."""

    address: str | None = None
    local_workers: int = 0


def parse_target(spec: str) -> DaskTarget:
    """Read ``local:N`` or a scheduler address (``tcp://host:8786``, ``tls://...``)."""
    spec = spec.strip()
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise NewsledgerError(f"--dask {spec!r}: local:N needs a worker count N >= 1")
        return DaskTarget(local_workers=int(count))
    if "://" in spec and spec.split("://", 1)[1]:
        return DaskTarget(address=spec)
    raise NewsledgerError(f"--dask {spec!r}: expected local:N or a scheduler address such as tcp://host:8786")


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy pipeline when a worker starts (or joins), with the client's settings."""

    def __init__(self, model: str | None, environ: dict[str, str]) -> None:
        self.model = model
        self.environ = environ
        self.name = f"newsledger-pipeline-{model or 'default'}"

    def setup(self, worker) -> None:
        os.environ.update(self.environ)
        load_pipeline(self.model)


# A LocalCluster runs without a dashboard, so its workers need not sample their
# own stacks every 10 ms for it, nor check memory ten times a second: on two
# cores that background work took about 4% of the extraction's wall time.
_LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


def _worker_environ() -> dict:
    """What Dask sets in a worker's environment before spawning it, less ``MALLOC_TRIM_THRESHOLD_``.

    Setting that variable also fixes glibc's mmap threshold, so the parser's
    large arrays are mapped and unmapped at every batch: measured here, it
    makes a worker spend about 10% more CPU on the same articles.
    """
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


@contextlib.contextmanager
def _client(target: DaskTarget) -> Iterator[Client]:
    if target.address is None:
        with dask.config.set(_LOCAL_CLUSTER_CONFIG | {"distributed.nanny.pre-spawn-environ": _worker_environ()}):
            cluster = LocalCluster(
                n_workers=target.local_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(target.address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise NewsledgerError(f"cannot reach the Dask scheduler at {target.address}: {exc}") from exc
    with client:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        yield client


def _collect(chunk: list[Article], future: Future) -> list[Result]:
    try:
        return future.result()
    except KilledWorker as exc:  # the chunk took its worker down (twice): reject it, go on
        return reject_chunk(chunk, f"extraction failed: Dask worker died: {exc}")
    finally:
        future.release()


def run_on_dask(
    articles: Iterable[Article], spec: str, *, model: str | None = None, chunk_size: int = 8
) -> Iterator[Result]:
    """Extract every article on the Dask target ``spec``, yielding results in input order."""
    target = parse_target(spec)
    environ = {key: value for key, value in os.environ.items() if key.startswith("NEWSLEDGER_")}
    with _client(target) as client:
        client.register_plugin(PipelinePlugin(model, environ))
        slots = sum(client.nthreads().values()) or 1

        def submit(chunk: list[Article]) -> Future:
            return client.submit(extract_chunk, chunk, model, pure=False)

        yield from in_order(chunks(articles, chunk_size), submit, _collect, CHUNKS_IN_FLIGHT_PER_WORKER * slots)
