"""Resolve place texts ("Chuhuiv, south of Kharkiv") to GeoNames records, offline.

Internal module: ``newsledger.places`` re-exports :func:`geocode`,
:func:`geocode_many` and :class:`GeocodeResult`.

A text is cut into parts at commas and brackets. Each part loses its spatial
relation ("south of", "near", "outskirts of"), which is kept for the Place,
and its kind words ("Oblast", "region", "city", "district"). Parts then name a
country, an oblast or settlements. Countries and oblasts narrow the
settlement candidates; when several parts name settlements, the candidates
that agree with each other (same oblast, or within 100 km) win, and the most
specific of them (the smallest place, not the one a relation was said of)
is the answer. Ambiguous names go to a place in the biased countries
(Ukraine by default), then to the most populous.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from ..models import Place
from .gazetteer import Gazetteer, fold, haversine_km, load_gazetteer

__all__ = ["GeocodeResult", "geocode", "geocode_many"]

# rapidfuzz ratio on folded keys ("Karkiv"/"Kharkiv" 92, "Kremlin"/"Kreminna" 86):
# short names have many near neighbours in a country, few in one oblast.
_FUZZY_CUTOFF = 86.0
_FUZZY_CUTOFF_LONG = 84.0  # names of 10 letters or more
_FUZZY_CUTOFF_IN_OBLAST = 80.0  # when the text names the oblast
_FUZZY_MIN_LENGTH = 5  # shorter names match too many villages by accident
_AGREE_KM = 100.0  # two parts of one text name places this close, or in one oblast
_SUBLOCALITY_KM = 25.0  # a district of a city lies inside it
_KNOWN_BY_ITSELF = 100_000  # a city this big is not misplaced by a wrong oblast next to it
_PRIMARY_BONUS = 1.5  # a main-name match outweighs an alternate-name match 30 times as populous
_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """A place text and the Place it resolves to, or ``None`` and the reason."""

    text: str
    place: Place | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Words:
    relations: tuple[str, ...]
    admin: frozenset[str]
    settlement: tuple[str, ...]
    sublocality: frozenset[str]
    skip: frozenset[str]
    directions: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = json.loads(resources.files("newsledger.places").joinpath("data", "place_words.json").read_text("utf-8"))
    return _Words(
        relations=tuple(sorted(raw["relations"], key=len, reverse=True)),
        admin=frozenset(raw["admin_words"]),
        settlement=tuple(sorted(raw["settlement_words"], key=len, reverse=True)),
        sublocality=frozenset(raw["sublocality_words"]),
        skip=frozenset(raw["skip_words"]),
        directions=frozenset(raw["direction_words"]),
    )


@dataclass(slots=True)
class _Part:
    text: str  # the name left once relation and kind words are gone
    relation: str | None = None
    kind: str = "settlement"  # settlement | admin | sublocality
    rows: list[int] = field(default_factory=list)
    primary: set[int] = field(default_factory=set)  # rows matched by their main name
    quality: int = 0  # 2 exact name, 1 fuzzy or a sub-span of the part
    country: str | None = None
    admin: str | None = None  # "UA.07"
    chosen: int | None = None
    support: int = 0


_SPLIT = re.compile(r"[,;/()\[\]]|\s[-–—]\s|['’]s\s|\r|\n")  # "Kyiv's Podil district" is two parts
_DISTANCE = re.compile(r"^\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|miles|mi)\s+", re.I)
_ARTICLE = re.compile(r"^(?:a|an)\s+", re.I)
_OF_SPLIT = re.compile(r"^(.+?\b(?:district|raion|rayon|microdistrict|neighbou?rhood))\s+of\s+(.+)$", re.I)


def _split(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SPLIT.split(text):
        piece = piece.strip(" .\t'\"")
        match = _OF_SPLIT.match(piece)
        pieces.extend([match.group(1), match.group(2)] if match else [piece])
    return [p for p in pieces if p]


def _strip_relation(piece: str, words: _Words) -> tuple[str, str | None]:
    piece = _ARTICLE.sub("", piece)  # "a suburb of Kyiv"
    lowered = piece.lower()
    distance = _DISTANCE.match(lowered)
    prefix = distance.group(0) if distance else ""
    rest = lowered[len(prefix):]
    for relation in words.relations:
        if rest.startswith(relation + " "):
            return piece[len(prefix) + len(relation) + 1:].strip(), (prefix + relation).strip()
        if rest.endswith(" " + relation) and not prefix:
            return piece[: -len(relation) - 1].strip(), relation
    return piece, None


def _parse(text: str) -> list[_Part]:
    words = _words()
    parts: list[_Part] = []
    for piece in _split(text):
        name, relation = _strip_relation(piece, words)
        if name.lower().startswith(("in ", "the ")):
            name = name.split(" ", 1)[1]
        lowered = name.lower()
        for phrase in words.settlement:
            if lowered.startswith(phrase + " ") or lowered.endswith(" " + phrase):
                name = (name[len(phrase) + 1:] if lowered.startswith(phrase + " ") else name[: -len(phrase) - 1]).strip()
                lowered = name.lower()
        tokens = name.split()
        low = [t.lower().strip(".") for t in tokens]
        if not tokens or any(t in words.skip or t + "." in words.skip for t in low):
            continue
        if not any(ch.isalpha() for ch in name):
            continue
        kind = "settlement"
        if any(t in words.admin for t in low):
            kind = "admin"
        elif any(t in words.sublocality for t in low):
            kind = "sublocality"
        kept = [tok for tok, t in zip(tokens, low) if t not in words.admin and t not in words.sublocality]
        if kept:
            parts.append(_Part(text=" ".join(kept), relation=relation, kind=kind))
    return parts


def _score(gaz: Gazetteer, row: int, primary: bool, bias: tuple[str, ...]) -> float:
    score = math.log10(gaz.population[row] + 10)
    if gaz.country[row] in bias:
        score += 2.0
    if primary:
        score += _PRIMARY_BONUS
    return score


def _exact(gaz: Gazetteer, name: str) -> tuple[list[int], set[int]]:
    key = fold(name)
    if key in gaz.aliases:
        new, cc = gaz.aliases[key]
        primary, alternate = gaz.lookup(fold(new))
        rows = [r for r in primary + alternate if gaz.country[r] == cc]
        if rows:
            return rows, set(rows)
    primary, alternate = gaz.lookup(key)
    return list(dict.fromkeys(primary + alternate)), set(primary)


def _fuzzy(gaz: Gazetteer, name: str, scopes: list[str]) -> list[int]:
    key = fold(name)
    if len(key) < _FUZZY_MIN_LENGTH:
        return []
    for scope in scopes:
        pool = gaz.fuzzy_pool(scope)
        if not pool:
            continue
        if "." in scope:
            cutoff = _FUZZY_CUTOFF_IN_OBLAST
        else:
            cutoff = _FUZZY_CUTOFF_LONG if len(key) >= 10 else _FUZZY_CUTOFF
        hits = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
        if not hits:
            continue
        best = hits[0][1]
        rows: list[int] = []
        for hit_key, score, _ in hits:
            if score >= best - 0.5:
                primary, alternate = gaz.lookup(hit_key)
                rows.extend(r for r in primary + alternate if _in_scopes(gaz, r, [scope]))
        if rows:
            return list(dict.fromkeys(rows))
    return []


def _subspans(name: str, directions: frozenset[str]) -> list[str]:
    tokens = name.split()
    if len(tokens) < 2:
        return []
    spans = []
    trimmed = [t for t in tokens if t.lower() not in directions]
    if trimmed and len(trimmed) < len(tokens):
        spans.append(" ".join(trimmed))
    for size in range(len(tokens) - 1, 0, -1):
        for start in range(len(tokens) - size + 1):
            span = tokens[start:start + size]
            if all(t.lower() not in directions for t in span) and len("".join(span)) >= 4:
                spans.append(" ".join(span))
    return list(dict.fromkeys(spans))


def _resolve_names(gaz: Gazetteer, parts: list[_Part], bias: tuple[str, ...]) -> None:
    """Fill each part's country, oblast or settlement candidates."""
    words = _words()
    for part in parts:
        key = fold(part.text)
        if part.kind == "admin" and key in gaz.admin_keys:
            part.admin = gaz.admin_keys[key]
            continue
        if part.kind != "admin" and key in gaz.country_keys:
            part.country = gaz.country_keys[key]
            continue
        if part.text.isupper() and len(part.text) <= 5:
            continue  # an acronym (NATO, EU) is no settlement's name; USA and UK were countries
        rows, primary = _exact(gaz, part.text)
        if rows:
            part.rows, part.primary, part.quality = rows, primary, 2
        elif key in gaz.admin_keys:
            part.admin = gaz.admin_keys[key]  # "Crimea": a region named without the word
    # Misspellings and sub-spans are looked for inside the oblast the text
    # names (a near spelling elsewhere is another village), else near the
    # places it names unambiguously, else in the biased countries.
    scopes = [p.admin for p in parts if p.admin]
    if not scopes:
        scopes += [f"{gaz.country[p.rows[0]]}.{gaz.admin1[p.rows[0]]}" for p in parts if p.rows and len(p.rows) == 1]
        scopes += [p.country for p in parts if p.country] + list(bias)
    scopes = list(dict.fromkeys(scopes))
    for part in parts:
        if part.rows or part.admin or part.country or (part.text.isupper() and len(part.text) <= 5):
            continue
        rows = _fuzzy(gaz, part.text, scopes)
        if not rows:
            for span in _subspans(part.text, words.directions):
                key = fold(span)
                if key in gaz.country_keys:
                    part.country = gaz.country_keys[key]
                    break
                rows = [r for r in _exact(gaz, span)[0] if _in_scopes(gaz, r, scopes)]
                if rows:
                    break
        if rows:
            part.rows, part.quality = rows, 1
        if part.kind == "admin" and rows and not part.admin:
            # A region outside the curated oblasts ("Belgorod region"): its
            # namesake city stands for it and for its admin1.
            part.kind = "settlement"


def _in_scopes(gaz: Gazetteer, row: int, scopes: list[str]) -> bool:
    return gaz.country[row] in scopes or f"{gaz.country[row]}.{gaz.admin1[row]}" in scopes


def _agree(gaz: Gazetteer, a: int, b: int, limit_km: float = _AGREE_KM) -> bool:
    if a == b:
        return True
    if gaz.country[a] == gaz.country[b] and gaz.admin1[a] == gaz.admin1[b] and limit_km >= _AGREE_KM:
        return True
    return haversine_km(gaz.latitude[a], gaz.longitude[a], gaz.latitude[b], gaz.longitude[b]) <= limit_km


def _narrow(gaz: Gazetteer, rows: list[int], country: str | None, admin: str | None) -> list[int]:
    """Candidates in the named country and oblast.

    A village outside the oblast the text names is another village of the
    same name: it goes, and the oblast stands for the place. Only a big city
    outlives the mismatch, the oblast being the likelier slip.
    """
    if country:
        rows = [r for r in rows if gaz.country[r] == country] or rows
    if admin:
        inside = [r for r in rows if f"{gaz.country[r]}.{gaz.admin1[r]}" == admin]
        rows = inside or [r for r in rows if gaz.population[r] >= _KNOWN_BY_ITSELF]
    return rows


def _choose(gaz: Gazetteer, parts: list[_Part], bias: tuple[str, ...]) -> _Part | None:
    country = next((p.country for p in parts if p.country), None)
    admin = next((p.admin for p in parts if p.admin), None)
    for part in parts:
        part.rows = _narrow(gaz, part.rows, country, admin)
    places = [p for p in parts if p.rows]
    for part in places:
        others = [o for o in places if o is not part]
        limit = _SUBLOCALITY_KM if part.kind == "sublocality" else _AGREE_KM

        def support(row: int, others=others, limit=limit) -> int:
            return sum(any(_agree(gaz, row, r, limit) for r in o.rows) for o in others)

        ranked = sorted(
            part.rows,
            key=lambda r: (support(r), _score(gaz, r, r in part.primary, bias)),
            reverse=True,
        )
        part.chosen = ranked[0]
        part.support = support(part.chosen)
    if len(places) > 1:
        # A district that lies in none of the other places is a misreading.
        places = [p for p in places if p.kind != "sublocality" or p.support > 0] or places
    if not places:
        return None
    agreeing = any(p.support for p in places)
    if agreeing:
        places = [p for p in places if p.support] or places
        return min(places, key=lambda p: (p.relation is not None, -p.support, gaz.population[p.chosen]))
    # Parts that do not agree: trust the best-matched, most prominent place.
    return max(
        places,
        key=lambda p: (p.relation is None, p.quality, _score(gaz, p.chosen, p.chosen in p.primary, bias)),
    )


def _admin_name(gaz: Gazetteer, cc: str, code: str) -> str | None:
    if not code:
        return None
    info = gaz.admins.get(f"{cc}.{code}")
    return info["name"] if info else f"{cc}.{code}"


def _anchor(parts: list[_Part], target: _Part | None) -> tuple[str | None, str | None]:
    if target is not None and target.relation:
        return target.relation, None
    other = next((p for p in parts if p.relation and p is not target), None)
    return (other.relation, other.text) if other else (None, None)


def geocode(text: str, *, country_bias: tuple[str, ...] = ("UA",), gazetteer: Gazetteer | None = None) -> GeocodeResult:
    """Resolve one place text; never raises on odd input."""
    if not isinstance(text, str) or not text.strip():
        return GeocodeResult(text=text if isinstance(text, str) else "", place=None, reason="empty text")
    if len(text) > _MAX_TEXT:
        return GeocodeResult(text=text, place=None, reason=f"text longer than {_MAX_TEXT} characters")
    gaz = gazetteer or load_gazetteer()
    bias = tuple(c.upper() for c in country_bias)
    parts = _parse(text)
    if not parts:
        return GeocodeResult(text=text, place=None, reason="no place name in the text")
    _resolve_names(gaz, parts, bias)
    target = _choose(gaz, parts, bias)
    relation, anchor = _anchor(parts, target)
    if target is not None:
        row = target.chosen
        cc = gaz.country[row]
        place = Place(
            text=text,
            name=gaz.name[row],
            country_code=cc,
            admin1=_admin_name(gaz, cc, gaz.admin1[row]),
            latitude=gaz.latitude[row],
            longitude=gaz.longitude[row],
            geonames_id=gaz.geonames_id[row],
            feature="populated place",
            relation=relation,
            anchor=anchor,
        )
        return GeocodeResult(text=text, place=place)
    region = next((p for p in parts if p.admin), None)
    if region is not None:
        info = gaz.admins[region.admin]
        relation, anchor = _anchor(parts, region)
        place = Place(
            text=text,
            name=info["name"],
            country_code=region.admin.split(".")[0],
            admin1=info["name"],
            latitude=info["latitude"],
            longitude=info["longitude"],
            geonames_id=info["geonames_id"],
            feature="admin1",
            relation=relation,
            anchor=anchor,
        )
        return GeocodeResult(text=text, place=place)
    nation = next((p for p in parts if p.country), None)
    if nation is not None:
        info = gaz.countries[nation.country]
        relation, anchor = _anchor(parts, nation)
        place = Place(
            text=text,
            name=info["name"],
            country_code=nation.country,
            admin1=None,
            latitude=info["latitude"],
            longitude=info["longitude"],
            geonames_id=info["geonames_id"],
            feature="country",
            relation=relation,
            anchor=anchor,
        )
        return GeocodeResult(text=text, place=place)
    names = ", ".join(repr(p.text) for p in parts)
    return GeocodeResult(text=text, place=None, reason=f"no match for {names} in the gazetteer")


def geocode_many(texts, *, country_bias: tuple[str, ...] = ("UA",)) -> list[GeocodeResult]:
    """Resolve a batch of place texts with one gazetteer load."""
    gaz = load_gazetteer()
    return [geocode(text, country_bias=country_bias, gazetteer=gaz) for text in texts]
