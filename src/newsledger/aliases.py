"""The curated names of the war's main actors, read without spaCy.

``nlp/data/entity_aliases.json`` joins spelling variants of people, bodies and
places (Zelenskyy/Zelenskiy -> Volodymyr Zelensky, Kiev -> Kyiv) and
``entity_roles.json`` lists the titles dropped from names. The entity
component uses them inside an article; the store's views and the cross-source
layer use them across articles ("Biden" and "Joe Biden" are one speaker), so
this module imports nothing heavier than the standard library.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Lexicon", "canonical_name", "clean_name", "key", "known_person", "load_lexicon", "strip_titles"]

_DATA = Path(__file__).parent / "nlp" / "data"
_APOSTROPHES = "'’`"
_POSSESSIVE = re.compile(r"\s*[" + _APOSTROPHES + r"]s?$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_LEADING_DETERMINER = re.compile(r"^(the|a|an|another|this|that)\s+", re.IGNORECASE)


def _table(name: str) -> dict:
    return json.loads((_DATA / f"{name}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The entity rules, read once from the package's data files."""

    aliases: dict[str, tuple[str, str, bool]]  # key -> (canonical, label, is_gpe)
    titles: tuple[tuple[str, ...], ...]  # longest first
    actor_heads: frozenset[str]
    spacy_labels: dict[str, str]


def key(text: str) -> str:
    """A lookup key: lower case, no dots or apostrophes, single spaces."""
    text = text.lower().replace(".", "")
    text = re.sub(r"[" + _APOSTROPHES + r"]", "", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    alias_data = _table("entity_aliases")
    roles = _table("entity_roles")
    aliases: dict[str, tuple[str, str, bool]] = {}
    for entry in alias_data["entries"]:
        value = (entry["canonical"], entry["label"], bool(entry.get("gpe", False)))
        for name in [entry["canonical"], *entry["aliases"]]:
            aliases[key(name)] = value
            aliases[key(_strip_the(name))] = value
    titles = sorted({tuple(t.split()) for t in roles["titles"]}, key=len, reverse=True)
    return Lexicon(
        aliases=aliases,
        titles=tuple(titles),
        actor_heads=frozenset(roles["actor_heads"]),
        spacy_labels=dict(roles["spacy_labels"]),
    )


def _strip_the(text: str) -> str:
    return re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)


def clean_name(text: str) -> str:
    """The mention without a leading article, a possessive 's or extra spaces."""
    text = " ".join(text.split())
    text = _LEADING_DETERMINER.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.strip(" ,;:-–—\"“”")


def strip_titles(name: str, lexicon: Lexicon) -> str:
    """A person's name without leading titles ("Foreign Minister Sergei Lavrov" -> "Sergei Lavrov")."""
    words = name.split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        lowered = [w.lower() for w in words]
        for title in lexicon.titles:
            if len(title) < len(words) and tuple(lowered[: len(title)]) == title:
                words = words[len(title) :]
                changed = True
                break
    # Middle initials do not tell two people apart in one article ("Vladimir V. Putin").
    if len(words) > 2:
        words = [words[0], *[w for w in words[1:-1] if not _INITIAL.match(w)], words[-1]]
    return " ".join(words)



def canonical_name(text: str) -> str:
    """The curated canonical name for ``text`` when the alias table knows it
    ("UNHCR" -> "UN Refugee Agency"), else the name cleaned of articles and titles."""
    lexicon = load_lexicon()
    cleaned = clean_name(text)
    known = lexicon.aliases.get(key(cleaned)) or lexicon.aliases.get(key(strip_titles(cleaned, lexicon)))
    return known[0] if known else strip_titles(cleaned, lexicon)


def known_person(name: str | None) -> str | None:
    """The curated full name of a person the alias table knows ("Biden" -> "Joe Biden"), else None."""
    if not name:
        return None
    known = load_lexicon().aliases.get(key(clean_name(name)))
    return known[0] if known and known[1] == "person" else None
