"""Open a store by URL: SQLite by default (WAL), PostgreSQL (psycopg 3) by URL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from newsledger.errors import StoreError

__all__ = ["normalise_url", "make_engine", "migrate", "open_engine", "read_snapshot"]

MIGRATIONS = Path(__file__).with_name("migrations")

# Alembic's migration context is one per process: threads opening stores at once take turns.
_MIGRATING = threading.Lock()

# How long a SQLite connection waits for another process's write lock.
SQLITE_BUSY_MS = 30_000
# SQLite answers "database is locked" at once, without waiting, where waiting could deadlock
# (a stale read snapshot, a WAL being set up or removed by another process): worth retrying.
MIGRATE_ATTEMPTS = 6


def normalise_url(url: str) -> str:
    """Accept a SQLAlchemy URL, a ``postgresql://`` URL or a bare SQLite file path."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")  # first: switching to WAL may wait too
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    connect_args = {"timeout": SQLITE_BUSY_MS / 1000} if url.startswith("sqlite") else {}
    try:
        engine = sa.create_engine(url, connect_args=connect_args)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, in one transaction."""
    for attempt in range(MIGRATE_ATTEMPTS):
        started = time.monotonic()
        try:
            _upgrade(engine)
            return
        except sa.exc.OperationalError as exc:
            # Only a refusal that came at once is retried; one that waited out the timeout is final.
            at_once = time.monotonic() - started < SQLITE_BUSY_MS / 2000
            if "database is locked" not in str(exc.orig) or not at_once or attempt == MIGRATE_ATTEMPTS - 1:
                raise StoreError(f"cannot open the store at {engine.url!r}: {exc.orig}") from exc
            engine.dispose()
            time.sleep(0.1 * 2**attempt)


def _upgrade(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _MIGRATING, engine.begin() as connection:
        # Processes opening one new store take turns too: the first creates it, the others
        # then find it at the newest version.
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('newsledger.migrate'))"))
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, and DDL inside the transaction
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_engine(url: str) -> Engine:
    """An engine on ``url`` with the schema migrated to the newest version."""
    engine = make_engine(url)
    migrate(engine)
    return engine


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[sa.Connection]:
    """A connection whose statements all read one state of the store.

    Outside a transaction each statement reads the latest commit (PostgreSQL's
    READ COMMITTED, SQLite's reads in autocommit), so a view that reads its
    groups and then their members could see a cross-source update commit in
    between and miss members it had just been told of: the timeline answered
    500 during concurrent ingests (benchmarks/robustness.py). Here the reads
    share a snapshot: PostgreSQL's REPEATABLE READ, a SQLite read transaction.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")  # deferred: the snapshot is taken at the first read
        try:
            yield connection
        finally:
            connection.rollback()
