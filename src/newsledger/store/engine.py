"""Open a store by URL: SQLite by default (WAL), PostgreSQL (psycopg 3) by URL."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from newsledger.errors import StoreError

__all__ = ["normalise_url", "make_engine", "migrate", "open_engine"]

MIGRATIONS = Path(__file__).with_name("migrations")

# Alembic's migration context is one per process: threads opening stores at once take turns.
_MIGRATING = threading.Lock()


def normalise_url(url: str) -> str:
    """Accept a SQLAlchemy URL, a ``postgresql://`` URL or a bare SQLite file path."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _MIGRATING, engine.begin() as connection:
            # Processes opening one new store take turns too: the first creates it, the others
            # then find it at the newest version.
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('newsledger.migrate'))"))
            elif connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock, and DDL inside the transaction
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the store at {engine.url!r}: {exc.orig}") from exc


def open_engine(url: str) -> Engine:
    """An engine on ``url`` with the schema migrated to the newest version."""
    engine = make_engine(url)
    migrate(engine)
    return engine
