"""One name per source of figures, however an article writes it.

Figures keep their claimant as written ("the U.N. refugee agency", "Grandi",
"according to the United Nations"); series fold those spellings into one
source so that a claimant's counts form one line. The table is data
(``claimant_aliases.json``):

- a claimant containing a phrase of a known source is that source, the
  longest phrase winning ("UNHCR chief Filippo Grandi" is UNHCR);
- a name standing for the UN or a government as a whole ("the U.N.",
  "a UN report", "Ukrainian officials") resolves, for the metrics a body
  counts, to that body: the UN's refugees are UNHCR's, its civilian deaths
  the human rights office's, Ukraine's count of Russian dead its General
  Staff's;
- any other claimant is the curated entity name when the entity table knows
  it ("Zelenskyy" -> Volodymyr Zelensky), else its own words.

This module reads JSON only, so the read side (``serve``, ``series``) never
loads spaCy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Source", "canonical_claimant", "contains_words", "words"]


@dataclass(frozen=True, slots=True)
class Source:
    """A claimant as a series shows it: ``key`` groups, ``name`` is what a reader sees."""

    key: str
    name: str


Words = tuple[str, ...]


def words(text: str | None) -> Words:
    """Lower-case words with abbreviation dots and possessives gone: "the U.N.'s" -> ("the", "un")."""
    text = (text or "").casefold().replace("’", "'").replace("`", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\b\w\.\w)\.", "", text)  # u.n. -> un, u.s. -> us
    return tuple(re.findall(r"[^\W_]+", text))


@dataclass(frozen=True, slots=True)
class _Generic:
    source: Source
    resolve: tuple[tuple[frozenset[str], frozenset[str] | None, str], ...]  # (metrics, sides or None = any, source key)


@dataclass(frozen=True, slots=True)
class _Table:
    phrases: tuple[tuple[Words, Source], ...]  # longest first
    generic: dict[Words, _Generic]
    by_key: dict[str, Source]
    before: frozenset[str]
    after: tuple[Words, ...]
    entity_names: dict[Words, str]  # curated entity aliases -> canonical name
    titles: tuple[Words, ...]


def _read(package_path: str) -> dict:
    return json.loads((resources.files("newsledger") / package_path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = _read("crossdoc/claimant_aliases.json")
    by_key: dict[str, Source] = {}
    phrases: list[tuple[Words, Source]] = []
    for entry in data["sources"]:
        source = Source(entry["key"], entry["name"])
        by_key[source.key] = source
        phrases += [(words(p), source) for p in entry["contains"]]
    generic: dict[Words, _Generic] = {}
    for entry in data["generic"]:
        source = Source(entry["key"], entry["name"])
        by_key[source.key] = source
        rules = tuple(
            (frozenset(r["metrics"]), frozenset(r["sides"]) if "sides" in r else None, r["to"]) for r in entry["resolve"]
        )
        for alias in entry["aliases"]:
            generic[_unwrap(words(alias), frozenset(data["wrapper_before"]), ())] = _Generic(source, rules)
    entity_names = {}
    for entry in _read("nlp/data/entity_aliases.json")["entries"]:
        for name in [entry["canonical"], *entry["aliases"]]:
            entity_names[_unwrap(words(name), frozenset({"the"}), ())] = entry["canonical"]
    titles = tuple(sorted({words(t) for t in _read("nlp/data/entity_roles.json")["titles"]}, key=len, reverse=True))
    return _Table(
        phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        generic=generic,
        by_key=by_key,
        before=frozenset(data["wrapper_before"]),
        after=tuple(sorted((words(w) for w in data["wrapper_after"]), key=len, reverse=True)),
        entity_names=entity_names,
        titles=titles,
    )


def contains_words(haystack: Words, needle: Words) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as a run of whole words."""
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _unwrap(ws: Words, before: frozenset[str], after: tuple[Words, ...]) -> Words:
    """The name inside "figures from the United Nations", "a UN report", "Ukrainian officials"."""
    changed = True
    while changed and ws:
        changed = False
        if ws[0] in before and len(ws) > 1:
            ws, changed = ws[1:], True
        for tail in after:
            if len(ws) > len(tail) and ws[-len(tail) :] == tail:
                ws, changed = ws[: -len(tail)], True
                break
    return ws


def _without_titles(ws: Words, titles: tuple[Words, ...]) -> Words:
    changed = True
    while changed:
        changed = False
        for title in titles:
            if len(ws) > len(title) and ws[: len(title)] == title:
                ws, changed = ws[len(title) :], True
                break
    return ws


@lru_cache(maxsize=65536)
def canonical_claimant(claimant: str | None, metric: str | None = None, side: str | None = None) -> Source | None:
    """The source ``claimant`` names, for a figure of ``metric`` (and ``side``); None for no claimant."""
    ws = words(claimant)
    if not ws:
        return None
    table = _table()
    for phrase, source in table.phrases:
        if contains_words(ws, phrase):
            return source
    inner = _unwrap(ws, table.before, table.after)
    generic = table.generic.get(inner)
    if generic is not None:
        for metrics, sides, target in generic.resolve:
            if metric in metrics and (sides is None or side in sides):
                return table.by_key[target]
        return generic.source
    bare = _unwrap(ws, frozenset({"the"}), ())
    name = table.entity_names.get(bare) or table.entity_names.get(_without_titles(bare, table.titles))
    if name is not None:
        return Source(" ".join(words(name)), name)
    text = re.sub(r"^(the|a|an)\s+", "", " ".join((claimant or "").split()), flags=re.IGNORECASE)
    return Source(" ".join(_unwrap(ws, frozenset({"the", "a", "an"}), ())), text)
