"""One statement reported by many outlets: quotes with the same speaker and
near-identical content form one group."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsledger.crossdoc.grouping import store_links
from newsledger.crossdoc.similarity import overlap, tokens
from newsledger.store import schema

__all__ = ["speaker_key", "update_quote_groups"]

JACCARD = 0.6  # near-identical wording
CONTAINED = 0.9  # or one report quotes a part of the other ...
MIN_TOKENS = 5  # ... that is long enough to be telling


def speaker_key(speaker: str | None) -> str | None:
    """The speaker's last name, which outlets agree on more than on full names and titles."""
    words = re.findall(r"[^\W\d_]+", (speaker or "").casefold())
    return words[-1] if words else None


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    jaccard, contained = overlap(a, b)
    return jaccard >= JACCARD or (contained >= CONTAINED and min(len(a), len(b)) >= MIN_TOKENS)


def update_quote_groups(connection: Connection, new_article_ids: Sequence[str]) -> int:
    """Group the quotes of the new articles with every quote of the same statement."""
    q = schema.quotes
    rows = connection.execute(
        sa.select(q.c.id, q.c.article_id, q.c.speaker, sa.func.coalesce(q.c.content_full, q.c.content).label("text"))
        .where(q.c.speaker.is_not(None))
    ).all()
    new = set(new_article_ids)
    by_speaker: dict[str, list[tuple[str, frozenset[str], bool]]] = {}
    for row in rows:
        key = speaker_key(row.speaker)
        if key:
            by_speaker.setdefault(key, []).append((row.id, tokens(row.text), row.article_id in new))
    links = []
    for quotes in by_speaker.values():
        fresh = [item for item in quotes if item[2]]
        for i, (quote_id, words, _) in enumerate(fresh):
            for other_id, other_words, other_new in quotes:
                if other_id == quote_id or (other_new and other_id < quote_id):
                    continue  # each pair of new quotes once
                if _similar(words, other_words):
                    links.append((quote_id, other_id))
    return store_links(connection, schema.quote_groups, links)
