"""Across sources: duplicates folded, quotes and events grouped, figure series flagged,
place texts resolved to coordinates.

``update(engine)`` brings the cross-source tables up to date with every
article not yet processed, in one transaction; ``rebuild(engine)`` clears
them and processes everything again. Groups are built from symmetric links
and keyed by their smallest member, so updating after each ingest gives
exactly what a rebuild gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsledger.crossdoc.duplicates import sign_articles, update_duplicates
from newsledger.crossdoc.entities import update_entity_merges
from newsledger.crossdoc.events import update_event_clusters
from newsledger.crossdoc.places import update_places
from newsledger.crossdoc.quotes import update_quote_groups
from newsledger.crossdoc.series import update_flags
from newsledger.store import schema
from newsledger.store.writer import bump_revision

__all__ = ["CrossdocReport", "update", "rebuild"]


@dataclass(frozen=True, slots=True)
class CrossdocReport:
    articles: int  # articles processed by this update
    duplicate_clusters: int  # clusters created or changed
    quote_groups: int
    event_clusters: int
    flags: int  # flags of the series the new figures belong to
    places: int = 0  # place texts newly resolved to GeoNames records
    merged_entities: int = 0  # entities that name a person another entity names


def _lock(connection) -> None:
    """Take the store's write lock first, so that concurrent updates run one after the other
    and each sees what the previous one committed."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('newsledger.crossdoc'))"))
    else:  # a write statement takes SQLite's write lock (waiting up to busy_timeout)
        connection.execute(schema.article_signatures.delete().where(sa.false()))


def update(engine: Engine) -> CrossdocReport:
    """Process every article that has no signature yet (new, or left by an interrupted run)."""
    a, s = schema.articles, schema.article_signatures
    with engine.begin() as connection:
        _lock(connection)
        pending = list(
            connection.execute(
                sa.select(a.c.id).where(~sa.exists().where(s.c.article_id == a.c.id)).order_by(a.c.id)
            ).scalars()
        )
        if not pending:
            return CrossdocReport(0, 0, 0, 0, 0)
        sign_articles(connection, pending)
        report = CrossdocReport(
            articles=len(pending),
            duplicate_clusters=update_duplicates(connection, pending),
            quote_groups=update_quote_groups(connection, pending),
            event_clusters=update_event_clusters(connection, pending),
            flags=update_flags(connection, pending),
            places=update_places(connection, pending),
            merged_entities=update_entity_merges(connection),
        )
        bump_revision(connection)
        return report



def rebuild(engine: Engine) -> CrossdocReport:
    """Recompute every cross-source table from scratch."""
    with engine.begin() as connection:
        _lock(connection)
        for table in (schema.entity_merges, schema.place_texts, schema.places, schema.figure_flags, schema.event_clusters, schema.quote_groups,
                      schema.duplicate_clusters, schema.article_signatures):
            connection.execute(table.delete())
    return update(engine)
