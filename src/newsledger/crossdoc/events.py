"""Reports of the same event across articles: same type, same day, compatible
place and actors."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsledger.crossdoc.grouping import store_links
from newsledger.store import schema

__all__ = ["update_event_clusters"]

_WORD = re.compile(r"[^\W\d_]{3,}")


def _words(text: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((text or "").casefold()))


def _compatible(a, b) -> bool:
    """Places and actors agree, or one report leaves them out."""
    if a.place and b.place:
        pa, pb = a.place.casefold(), b.place.casefold()
        if pa not in pb and pb not in pa and not (_words(pa) & _words(pb)):
            return False
    actors_a = _words(" ".join(a.actors or ()))
    actors_b = _words(" ".join(b.actors or ()))
    return not actors_a or not actors_b or bool(actors_a & actors_b)


def update_event_clusters(connection: Connection, new_article_ids: Sequence[str]) -> int:
    """Cluster the dated events of the new articles with their other reports."""
    e = schema.events
    new = set(new_article_ids)
    fresh = connection.execute(sa.select(e).where(e.c.article_id.in_(new), e.c.date.is_not(None))).all()
    fresh = [row for row in fresh if len(row.date) == 10]  # a day: months and weeks are too coarse to join on
    links = []
    keys = {(row.type, row.date) for row in fresh}
    candidates: dict[tuple[str, str], list] = {}
    for event_type, day in keys:
        candidates[(event_type, day)] = connection.execute(
            sa.select(e).where(e.c.type == event_type, e.c.date == day)
        ).all()
    for row in fresh:
        for other in candidates[(row.type, row.date)]:
            if other.id == row.id or (other.article_id in new and other.id < row.id):
                continue
            if _compatible(row, other):
                links.append((row.id, other.id))
    return store_links(connection, schema.event_clusters, links)
