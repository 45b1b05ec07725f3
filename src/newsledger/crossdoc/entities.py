"""One name per person across articles.

Inside an article the entity component already joins "Lavrov" to "Sergei
Lavrov". Across articles:
- names the curated alias table knows go to its canonical name;
- a bare surname goes to the one full name that ends with it (or, for
  surname-first names like "Xi Jinping", begins with it), when that full name
  is clearly the person meant: the only one, or mentioned at least
  ``DOMINANCE`` times more than any other;
- a misspelt full name ("Vladmir Putin", "Dymtro Kuleba") goes to a far more
  mentioned full name with a near-identical surname and first name. Family
  members ("Hunter Biden") and namesakes ("Ron Johnson") keep their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz
from sqlalchemy.engine import Connection

from newsledger.aliases import known_person
from newsledger.store import schema

__all__ = ["DOMINANCE", "person_merges", "update_entity_merges"]

DOMINANCE = 3
SURNAME_SIMILARITY = 85  # rapidfuzz ratio: "Zelensky"/"Zelenskyy"
FIRST_NAME_SIMILARITY = 75  # "Dymtro"/"Dmytro", "Vladmir"/"Vladimir"; not "Hunter"/"Joe"
_NAME_WORD = re.compile(r"^[A-Z][\w.\-]*$")  # "Jinping", "Thomas-Greenfield", "Jr."; not "Twitter’s"


@dataclass(frozen=True, slots=True)
class _FullName:
    entity_id: str
    first: str
    last: str
    mentions: int


def _full_name(entity_id: str, canonical: str, mentions: int) -> _FullName | None:
    words = canonical.split()
    if len(words) < 2 or not all(_NAME_WORD.match(w) for w in words):
        return None
    return _FullName(entity_id, words[0].casefold(), words[-1].casefold(), mentions)


def _dominant(candidates: list[_FullName]) -> _FullName | None:
    ranked = sorted(candidates, key=lambda c: (-c.mentions, c.entity_id))
    if len(ranked) == 1 or (ranked and ranked[0].mentions >= DOMINANCE * ranked[1].mentions):
        return ranked[0]
    return None


def _misspelling_of(name: _FullName, full_names: list[_FullName]) -> _FullName | None:
    matches = [
        other for other in full_names
        if other.entity_id != name.entity_id
        and other.mentions >= DOMINANCE * name.mentions
        and fuzz.ratio(other.last, name.last) >= SURNAME_SIMILARITY
        and fuzz.ratio(other.first, name.first) >= FIRST_NAME_SIMILARITY
    ]
    return max(matches, key=lambda c: (c.mentions, c.entity_id)) if matches else None


def person_merges(entities: Iterable[tuple[str, str, str, int]]) -> dict[str, str]:
    """Map entity id -> the id of the person it names, from (id, canonical, label, mentions) rows."""
    people = [e for e in entities if e[2] == "person"]
    by_name = {canonical.casefold(): entity_id for entity_id, canonical, _, _ in people}
    full_names = [f for f in (_full_name(i, c, n) for i, c, _, n in people) if f is not None]
    by_last: dict[str, list[_FullName]] = {}
    by_first: dict[str, list[_FullName]] = {}
    by_prefix: dict[str, list[_FullName]] = {}  # surnames by their first two letters, for misspellings
    for f in full_names:
        by_last.setdefault(f.last, []).append(f)
        by_first.setdefault(f.first, []).append(f)
        by_prefix.setdefault(f.last[:2], []).append(f)
    merges = {}
    for entity_id, canonical, _, mentions in people:
        curated = known_person(canonical)
        if curated and curated.casefold() != canonical.casefold() and curated.casefold() in by_name:
            merges[entity_id] = by_name[curated.casefold()]
        elif " " not in canonical:
            key = canonical.casefold()
            target = _dominant(by_last.get(key) or by_first.get(key, []))
            if target is not None:
                merges[entity_id] = target.entity_id
        else:
            name = _full_name(entity_id, canonical, mentions)
            target = _misspelling_of(name, by_prefix[name.last[:2]]) if name else None
            if target is not None:
                merges[entity_id] = target.entity_id
    return merges



def update_entity_merges(connection: Connection) -> int:
    """Recompute which entities name the same person (mention counts change with every article)."""
    e, m = schema.entities, schema.mentions
    counts = connection.execute(
        sa.select(e.c.id, e.c.canonical, e.c.label, sa.func.count(m.c.id))
        .join(m, m.c.entity_id == e.c.id).where(e.c.label == "person")
        .group_by(e.c.id, e.c.canonical, e.c.label)
    ).all()
    merges = person_merges(tuple(r) for r in counts)
    connection.execute(schema.entity_merges.delete())
    if merges:
        connection.execute(schema.entity_merges.insert(),
                           [{"entity_id": k, "target_id": v} for k, v in sorted(merges.items())])
    return len(merges)
