"""The jobs newsledger runs: ingest sources into a store, and the example run."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from newsledger import crossdoc, settings
from newsledger.models import Article, Extraction, Rejected
from newsledger.readers import ReadOptions, read_sources
from newsledger.runner import run_pipeline
from newsledger.ledger import Ledger
from newsledger.store import Writer, open_engine

__all__ = ["IngestReport", "ingest", "ingest_items", "open", "examples_path"]

# on_progress(event, item): event is "ingested", "duplicate" or "rejected";
# item is the Article (or Rejected) concerned.
ProgressCallback = Callable[[str, object], None]


@dataclass(frozen=True, slots=True)
class IngestReport:
    ingested: int
    duplicates: int
    rejected: tuple[Rejected, ...]
    article_ids: tuple[str, ...] = field(default=())  # the articles stored by this run

    def summary(self) -> str:
        return f"ingested {self.ingested}, skipped {self.duplicates} duplicates, rejected {len(self.rejected)}"


def open(db: str | None = None) -> Ledger:  # noqa: A001  (the public name is newsledger.open)
    """Open the store at ``db`` (a SQLAlchemy URL or a SQLite path), creating it if needed."""
    return Ledger(open_engine(db or str(settings.get("db"))))


def examples_path() -> Path:
    """The folder of example articles shipped with newsledger."""
    return Path(str(resources.files("newsledger") / "examples"))


def ingest(
    paths: Iterable[str | Path],
    *,
    db: str | None = None,
    options: ReadOptions | None = None,
    model: str | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    on_progress: ProgressCallback | None = None,
    dask: str | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``.

    Articles already in the store (same normalised text) are counted as
    duplicates without running the pipeline again. Bad items are rejected with
    a reason and the rest goes on. Each batch is one transaction.

    The pipeline runs in ``workers`` local processes, or on Dask when ``dask``
    is ``"local:N"`` (a LocalCluster of N processes) or a scheduler address
    such as ``"tcp://host:8786"``; either way this process writes the results.
    """
    return ingest_items(
        read_sources(paths, options or ReadOptions()), db=db, model=model, workers=workers,
        batch_size=batch_size, on_progress=on_progress, dask=dask,
    )


def ingest_items(
    items: Iterable[Article | Rejected],
    *,
    db: str | None = None,
    model: str | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    on_progress: ProgressCallback | None = None,
    dask: str | None = None,
) -> IngestReport:
    """``ingest`` for articles already read (``Rejected`` items are reported as such)."""
    writer = Writer(open_engine(db or str(settings.get("db"))))
    batch_size = batch_size or int(settings.get("batch_size"))
    workers = workers or int(settings.get("workers"))
    notify = on_progress or (lambda event, item: None)
    rejected: list[Rejected] = []
    stored: list[str] = []
    duplicates = 0

    def reject(item: Rejected) -> None:
        rejected.append(item)
        notify("rejected", item)

    def new_articles() -> Iterator[Article]:
        nonlocal duplicates
        seen: set[str] = set()
        pending: list[Article] = []

        def flush() -> Iterator[Article]:
            nonlocal duplicates
            existing = writer.existing_ids(a.id for a in pending)
            for article in pending:
                if article.id in existing or article.id in seen:
                    duplicates += 1
                    notify("duplicate", article)
                else:
                    seen.add(article.id)
                    yield article
            pending.clear()

        for item in items:
            if isinstance(item, Rejected):
                reject(item)
                continue
            pending.append(item)
            if len(pending) >= batch_size:
                yield from flush()
        yield from flush()

    def write(batch: list[Extraction]) -> None:
        nonlocal duplicates
        written = set(writer.write(batch))
        for extraction in batch:
            if extraction.article.id in written:
                stored.append(extraction.article.id)
                notify("ingested", extraction.article)
            else:  # stored meanwhile by a concurrent ingest
                duplicates += 1
                notify("duplicate", extraction.article)
        batch.clear()

    batch: list[Extraction] = []
    for result in run_pipeline(new_articles(), model=model, workers=workers, dask=dask):
        if isinstance(result, Rejected):
            reject(result)
            continue
        batch.append(result)
        if len(batch) >= batch_size:
            write(batch)
    if batch:
        write(batch)
    crossdoc.update(writer.engine)
    return IngestReport(len(stored), duplicates, tuple(rejected), tuple(stored))
