"""Watch feeds and folders: each cycle ingests only what is new.

``Watcher(sources).run()`` polls each source every ``every`` seconds:

- a feed URL is fetched with the ETag and Last-Modified of its last answer, so
  an unchanged feed costs one ``304 Not Modified``; a body whose SHA-256 is the
  one seen before is skipped too;
- a file, or every file under a folder, is read again only when its size or
  modification time changed, and ingested only when its SHA-256 changed.

What is read goes through the normal ingest (``jobs.ingest_items``): articles
already stored are counted as duplicates before the pipeline runs, and the
cross-source layer is updated at the end. What was seen is written to the
store's ``watched`` table only after that ingest has committed, so a restart
resumes without re-processing and a crash re-reads at most one cycle. A
source that fails is retried after ``every * 2**failures`` seconds (at most
an hour) and never stops the others.

The feeds of a cycle are fetched side by side, at most ``FETCH_THREADS`` at
once, each within ``options.fetch_seconds`` (see ``readers.fetching``):
files are read while they run and each feed's articles go to the ingest as
soon as its fetch ends. So a slow or hanging feed holds the cycle for at
most its deadline (one deadline per ``FETCH_THREADS`` feeds hanging at once)
without holding up the others' articles, and then backs off like any
failing source, counted from when it failed. Only fetching runs in those
threads; reading, the pipeline and every write stay in the cycle's own
thread.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from newsledger import settings
from newsledger.alerts import Alert, Rules, deliver, raise_alerts
from newsledger.errors import InputError
from newsledger.jobs import ingest_items
from newsledger.models import Article, Rejected
from newsledger.readers import ReadOptions
from newsledger.readers.fetching import Fetched, fetch_if_changed
from newsledger.readers.sources import is_url, read_bytes, walk
from newsledger.store import open_engine, schema
from newsledger.store.writer import upsert

__all__ = ["CycleReport", "Watcher"]

MAX_BACKOFF_S = 3600.0
FETCH_THREADS = 8  # feeds fetched at once in a cycle


@dataclass(frozen=True, slots=True)
class CycleReport:
    cycle: int
    started: datetime
    new: int
    duplicates: int
    rejected: tuple[Rejected, ...]
    unchanged: int  # feeds and files seen before and not changed since
    failing: int  # sources that failed this cycle or wait for their retry
    alerts: tuple[Alert, ...] = ()
    article_ids: tuple[str, ...] = ()  # the articles this cycle stored

    def line(self) -> str:
        return (f"cycle {self.cycle} {self.started:%Y-%m-%d %H:%M:%S}Z: {self.new} new, "
                f"{self.duplicates} duplicate, {len(self.rejected)} rejected, {self.unchanged} unchanged, "
                f"{self.failing} failing, {len(self.alerts)} alerts")


@dataclass
class _Cycle:
    """What one cycle saw, filled in while its items are read."""

    now: datetime
    seen: dict[str, sa.Row]
    updates: dict[str, dict] = field(default_factory=dict)
    unchanged: int = 0
    failing: int = 0

    def record(self, source: str, **values) -> None:
        row = {"source": source, "etag": None, "last_modified": None, "stamp": None, "digest": None,
               "failures": 0, "retry_at": None, "checked_at": self.now}
        self.updates[source] = {**row, **values}


class Watcher:
    """Polls ``sources`` (feed URLs, files, folders) and ingests what is new into the store at ``db``;
    with ``rules``, raises their alerts over each cycle's new articles (and POSTs them to the webhook)."""

    def __init__(self, sources: Iterable[str], *, db: str | None = None, options: ReadOptions | None = None,
                 every: float = 60.0, model: str | None = None, workers: int | None = None,
                 rules: Rules | None = None) -> None:
        self.sources = list(sources)
        self.db = db or str(settings.get("db"))
        self.options = options or ReadOptions()
        self.every = every
        self.model = model
        self.workers = workers
        self.rules = rules
        self.engine = open_engine(self.db)
        self.cycles = 0

    def run(self, cycles: int = 0, on_cycle: Callable[[CycleReport], None] | None = None,
            sleep: Callable[[float], None] = time.sleep) -> None:
        """Run ``cycles`` cycles (0: until interrupted), ``every`` seconds apart from start to start."""
        while True:
            started = time.monotonic()
            report = self.cycle()
            if on_cycle:
                on_cycle(report)
            if cycles and self.cycles >= cycles:
                return
            sleep(max(0.0, self.every - (time.monotonic() - started)))

    def cycle(self) -> CycleReport:
        """Read every source once, ingest what is new, then remember what was seen."""
        self.cycles += 1
        state = _Cycle(datetime.now(timezone.utc), self._seen())
        report = ingest_items(self._items(state), db=self.db, model=self.model, workers=self.workers)
        with self.engine.begin() as connection:
            upsert(connection, schema.watched, list(state.updates.values()), "source")
        alerts = raise_alerts(self.engine, self.rules, report.article_ids) if self.rules else []
        if alerts and self.rules.webhook:
            deliver(self.engine, self.rules.webhook, alerts, seconds=self.options.fetch_seconds)
        return CycleReport(self.cycles, state.now, report.ingested, report.duplicates, report.rejected,
                           state.unchanged, state.failing, tuple(alerts), report.article_ids)

    # --- reading ------------------------------------------------------------------

    def _seen(self) -> dict[str, sa.Row]:
        with self.engine.connect() as connection:
            return {row.source: row for row in connection.execute(sa.select(schema.watched))}

    def _items(self, state: _Cycle) -> Iterator[Article | Rejected]:
        """Files first, read while the feeds are fetched; then each feed as its fetch ends."""
        fetches: dict[str, Callable[[], Fetched]] = {}
        for url in dict.fromkeys(source for source in self.sources if is_url(source)):
            before = state.seen.get(url)
            if before is not None and before.retry_at is not None and _aware(before.retry_at) > state.now:
                state.failing += 1  # waits for its retry
            else:
                fetches[url] = partial(fetch_if_changed, url, self.options, *_validators(before))
        fetching = _SideBySide(fetches, FETCH_THREADS)
        try:
            for source in self.sources:
                if is_url(source):
                    continue
                path = Path(source)
                for entry in walk(path) if path.is_dir() else [path]:
                    if isinstance(entry, Rejected):
                        yield entry
                    else:
                        yield from self._poll_file(entry, state)
            for url, outcome in fetching:
                yield from self._read_url(url, outcome, state)
        finally:
            fetching.close()

    def _read_url(self, url: str, outcome: Fetched | Exception, state: _Cycle) -> Iterator[Article | Rejected]:
        before = state.seen.get(url)
        if isinstance(outcome, InputError):  # refused, HTTP error, too large, no answer in time
            failures = (before.failures if before else 0) + 1
            wait = min(self.every * 2 ** failures, MAX_BACKOFF_S)
            failed = datetime.now(timezone.utc)  # not the cycle's start: a feed that hung took its deadline
            state.record(url, etag=before and before.etag, last_modified=before and before.last_modified,
                         digest=before and before.digest, failures=failures,
                         retry_at=failed + timedelta(seconds=wait))
            state.failing += 1
            yield Rejected(outcome.item, f"{outcome.reason} (retrying in {wait:g} s)")
            return
        if isinstance(outcome, Exception):
            raise outcome
        digest = hashlib.sha256(outcome.body).hexdigest() if outcome.body is not None else before.digest
        state.record(url, etag=outcome.etag, last_modified=outcome.last_modified, digest=digest)
        if outcome.body is None or (before is not None and before.digest == digest):
            state.unchanged += 1
            return
        yield from read_bytes(url, outcome.body, Path(urlsplit(url).path).suffix, self.options)

    def _poll_file(self, path: Path, state: _Cycle) -> Iterator[Article | Rejected]:
        item = str(path)
        before = state.seen.get(item)
        try:
            info = path.stat()
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
            if before is not None and before.stamp == stamp:
                state.unchanged += 1
                return
            if info.st_size > self.options.max_bytes:
                state.record(item, stamp=stamp)
                yield Rejected(item, f"{info.st_size:,} bytes, over max_bytes ({self.options.max_bytes:,})")
                return
            data = path.read_bytes()
        except OSError as exc:
            yield Rejected(item, f"cannot read: {exc.strerror or exc}")
            return
        digest = hashlib.sha256(data).hexdigest()
        state.record(item, stamp=stamp, digest=digest)
        if before is not None and before.digest == digest:
            state.unchanged += 1
            return
        yield from read_bytes(item, data, path.suffix, self.options)


def _validators(before: sa.Row | None) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of a feed's last answer, for a conditional request."""
    return (before.etag, before.last_modified) if before is not None else (None, None)


class _SideBySide:
    """Runs ``fetches`` in at most ``threads`` threads, started at once; iterating yields each
    URL with what its fetch returned or raised, in the order the fetches end.

    The threads are daemons: each fetch ends by its deadline anyway, and stopping
    the watch (Ctrl-C) must not wait for one still running.
    """

    def __init__(self, fetches: dict[str, Callable[[], Fetched]], threads: int) -> None:
        self._todo: queue.SimpleQueue = queue.SimpleQueue()
        self._done: queue.Queue = queue.Queue()
        self._count = len(fetches)
        for job in fetches.items():
            self._todo.put(job)
        for _ in range(min(threads, len(fetches))):
            threading.Thread(target=self._work, name="watch fetch", daemon=True).start()

    def _work(self) -> None:
        while True:
            try:
                url, fetch = self._todo.get_nowait()
            except queue.Empty:
                return
            try:
                self._done.put((url, fetch()))
            except Exception as exc:  # noqa: BLE001 - handed to the cycle's thread, which decides
                self._done.put((url, exc))

    def __iter__(self) -> Iterator[tuple[str, Fetched | Exception]]:
        for _ in range(self._count):
            yield self._done.get()

    def close(self) -> None:
        """A cycle cut short: start no more fetches."""
        while True:
            try:
                self._todo.get_nowait()
            except queue.Empty:
                return


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
