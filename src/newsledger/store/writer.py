"""The one write path: an article and all its extractions in one transaction.

A batch is written atomically, so a crash loses at most the batch in flight.
Article ids are content hashes and every insert ignores rows that already
exist, so re-running an ingest, or two ingests of overlapping inputs at once,
store each article once.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from newsledger.models import Entity, Extraction
from newsledger.store import schema

__all__ = ["Writer", "bump_revision", "row_id", "entity_id", "upsert"]


def row_id(*parts: object) -> str:
    """A stable id from the parts that identify a row."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def entity_id(label: str, canonical: str) -> str:
    return row_id("entity", label, canonical.casefold())


def _dialect_insert(connection: Connection, table: sa.Table):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _insert_ignoring_existing(connection: Connection, table: sa.Table):
    return _dialect_insert(connection, table).on_conflict_do_nothing()


def bump_revision(connection: Connection) -> None:
    """Count one more change to the store besides stored articles (cross-source updates, alerts),
    so that readers caching on ``Ledger.revision()`` see it. Call it inside a write transaction."""
    state = schema.store_state
    bumped = connection.execute(
        state.update().where(state.c.name == "crossdoc").values(value=state.c.value + 1)
    ).rowcount
    if not bumped:
        upsert(connection, state, [{"name": "crossdoc", "value": 1}], "name")


def upsert(connection: Connection, table: sa.Table, rows: list[dict], key: str) -> None:
    """Insert ``rows`` (dicts with the same columns), replacing the rows whose ``key`` exists."""
    if not rows:
        return
    statement = _dialect_insert(connection, table)
    statement = statement.on_conflict_do_update(
        index_elements=[key], set_={column: statement.excluded[column] for column in rows[0] if column != key}
    )
    connection.execute(statement, rows)


def _article_row(extraction: Extraction, now: datetime) -> dict:
    article = extraction.article
    inferred = extraction.published_inferred
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "published_inferred": inferred.date if inferred else None,
        "published_first": inferred.first if inferred else None,
        "published_last": inferred.last if inferred else None,
        "published_confidence": inferred.confidence if inferred else None,
        "published_evidence": inferred.evidence if inferred else None,
        "origin": article.origin,
        "text": article.text,
        "ingested_at": now,
    }


def _record_rows(table: sa.Table, records: Sequence, article_id: str) -> list[dict]:
    rows = []
    for record in records:
        row = dataclasses.asdict(record)
        row["article_id"] = article_id
        if isinstance(record, Entity):
            row = {
                "article_id": article_id,
                "start": record.start,
                "end": record.end,
                "text": record.text,
                "entity_id": entity_id(record.label, record.canonical),
            }
        elif "actors" in row:
            row["actors"] = list(row["actors"])
        row["id"] = row_id(table.name, *(row[c.name] for c in table.columns if c.name != "id"))
        rows.append({c.name: row.get(c.name) for c in table.columns})
    return rows


class Writer:
    """Writes batches of extractions; returns which articles were new."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        with self.engine.connect() as connection:
            query = sa.select(schema.articles.c.id).where(schema.articles.c.id.in_(ids))
            return set(connection.execute(query).scalars())

    def write(self, batch: Sequence[Extraction]) -> list[str]:
        """Store a batch in one transaction; the ids of the articles that were new."""
        now = datetime.now(timezone.utc)
        written: list[str] = []
        with self.engine.begin() as connection:
            for extraction in batch:
                if self._write_one(connection, extraction, now):
                    written.append(extraction.article.id)
        return written

    def _write_one(self, connection: Connection, extraction: Extraction, now: datetime) -> bool:
        article = extraction.article
        statement = _insert_ignoring_existing(connection, schema.articles).values(_article_row(extraction, now))
        inserted = connection.execute(statement.returning(schema.articles.c.id)).first()
        if inserted is None:
            return False  # stored already, by an earlier run or a concurrent one
        if connection.dialect.name == "sqlite":
            connection.execute(
                sa.text("INSERT INTO articles_fts (article_id, title, text) VALUES (:id, :title, :text)"),
                {"id": article.id, "title": article.title or "", "text": article.text},
            )
        entity_rows = {
            entity_id(e.label, e.canonical): {"id": entity_id(e.label, e.canonical), "canonical": e.canonical, "label": e.label}
            for e in extraction.entities
        }
        if entity_rows:
            connection.execute(_insert_ignoring_existing(connection, schema.entities), list(entity_rows.values()))
        for table, field in schema.EXTRACTION_TABLES:
            rows = _record_rows(table, getattr(extraction, field), article.id)
            if rows:
                connection.execute(_insert_ignoring_existing(connection, table), rows)
        return True
