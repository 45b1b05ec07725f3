"""Figure series and the checks a user can see on them.

Figures are grouped into series by (metric, population, side, place); inside
a series each claimant has its own line over as-of dates. Four checks flag
figures for a reader to look at, always with both sides' figures:

- ``drop``: a cumulative count by one claimant falls below an earlier count
  of its own by more than the rounding of the two figures;
- ``far_apart``: two claimants' figures for the same day differ at least
  ``far_apart_ratio`` times and their bounds do not overlap;
- ``unnamed``: the claimant names no source ("a report", "officials");
- ``single_outlet``: one outlet's number for a day that no other outlet
  reporting that series on that day carries.

Qualifiers are compared as bounds: "more than 500,000" is [500,000, inf).
Only running totals ("the death toll rose to 352", "have fled since the
invasion") are compared with each other: a count of one incident says nothing
about a total.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsledger import vocabulary
from newsledger.crossdoc.claimants import canonical_claimant
from newsledger.store import schema
from newsledger.store.writer import row_id

__all__ = ["series_key", "bounds", "find_flags", "update_flags", "Point"]


@lru_cache(maxsize=1)
def _rules() -> dict:
    return json.loads((resources.files("newsledger.crossdoc") / "series_rules.json").read_text(encoding="utf-8"))


def _norm(text: str | None) -> str:
    return " ".join(re.findall(r"[^\W_]+", (text or "").casefold()))


def population_key(metric: str, population: str | None) -> str:
    words = _norm(population)
    synonyms = _rules()["population_synonyms"]
    return synonyms.get(metric, {}).get(words) or synonyms["*"].get(words) or words


def series_key(metric: str, population: str | None, side: str | None, place: str | None) -> str:
    """The series a figure belongs to, as ``metric|population|side|place``.

    A figure naming no place counts in the theatre of the war, and the
    theatre's side of its people (refugees, civilians) does not split a
    series: "2 million Ukrainians have fled" and "2 million have fled Ukraine"
    are one series.
    """
    rules = _rules()
    theatre = rules["theatre"]
    people = population_key(metric, population)
    if side == theatre["side"] and people in rules["people_populations"]:
        side = None
    return "|".join([metric, people, side or "", _norm(place) or _norm(theatre["place"])])


def _rounding(value: int) -> int:
    """The rounding a stated number implies: 500,000 is stated to the 100,000."""
    if value <= 0:
        return 1
    unit = 1
    while value % (unit * 10) == 0 and unit * 10 <= value:
        unit *= 10
    return unit


def bounds(value: int, qualifier: str, low: int | None = None, high: int | None = None) -> tuple[float, float]:
    """The interval a figure asserts."""
    if low is not None and high is not None:
        return float(low), float(high)
    unit = _rounding(value)
    if qualifier in ("more_than", "at_least"):
        return float(value), math.inf
    if qualifier == "vague":
        return float(value), float(value) * 10
    if qualifier in ("nearly", "up_to", "less_than"):
        return max(0.0, float(value - unit)), float(value)
    return max(0.0, float(value - unit / 2)), float(value + unit / 2)  # exact and about: its rounding


@dataclass(frozen=True, slots=True)
class Point:
    """One figure as a point of a series."""

    figure_id: str
    article_id: str
    outlet: str | None
    series: str
    claimant: str | None  # as written
    claimant_key: str | None
    claimant_name: str | None  # the source as a series shows it ("UNHCR (UN Refugee Agency)")
    as_of: str | None
    value: int
    qualifier: str
    low: float
    high: float
    tally: bool  # a running total, comparable with other totals


def is_tally(quote: str, since: str | None) -> bool:
    text = f" {_norm(quote)} "
    return since is not None or any(f" {_norm(w)} " in text for w in _rules()["tally_words"])


def points(rows: Iterable) -> list[Point]:
    """Series points from figure rows joined with their article's outlet (column ``outlet``)."""
    result = []
    for r in rows:
        lo, hi = bounds(r.value, r.qualifier, r.low, r.high)
        source = canonical_claimant(r.claimant, r.metric, r.side)  # one key per source however it is written
        result.append(
            Point(r.id, r.article_id, r.outlet, series_key(r.metric, r.population, r.side, r.place), r.claimant,
                  source.key if source else None, source.name if source else None, r.as_of, r.value, r.qualifier,
                  lo, hi, is_tally(r.quote, r.since))
        )
    return result


def _disjoint(a: Point, b: Point) -> bool:
    return a.high < b.low or b.high < a.low


def _flag(kind: str, point: Point, other: Point | None, detail: str) -> dict:
    other_id = other.figure_id if other else None
    return {"id": row_id("flag", kind, point.figure_id, other_id), "kind": kind, "series": point.series,
            "figure_id": point.figure_id, "other_id": other_id, "detail": detail}


def find_flags(series_points: Sequence[Point]) -> list[dict]:
    """Every flag of one series' points (a pure function of the set of points)."""
    rules = _rules()
    metric = series_points[0].series.split("|", 1)[0] if series_points else ""
    flags = []
    unnamed = set(rules["unnamed_claimants"])
    for p in series_points:
        if p.claimant_key and p.claimant_key in unnamed:
            flags.append(_flag("unnamed", p, None, f"claimant is only {p.claimant!r}"))
    dated = sorted((p for p in series_points if p.as_of and p.tally), key=lambda p: (p.as_of, p.figure_id))
    if metric in vocabulary.metrics() and vocabulary.metric(metric).cumulative:
        by_claimant: dict[str, list[Point]] = {}
        for p in dated:
            if p.claimant_key and p.claimant_key not in unnamed:
                by_claimant.setdefault(p.claimant_key, []).append(p)
        for line in by_claimant.values():
            highest: Point | None = None
            for p in line:
                if highest is not None and highest.as_of < p.as_of and p.high < highest.low:
                    flags.append(_flag("drop", p, highest, f"{p.claimant} gave {p.value:,} on {p.as_of}, "
                                       f"below its {highest.value:,} of {highest.as_of}"))
                if highest is None or p.low > highest.low:
                    highest = p
    by_day: dict[str, list[Point]] = {}
    for p in dated:
        by_day.setdefault(p.as_of, []).append(p)
    for day, same_day in by_day.items():
        named = [p for p in same_day if p.claimant_key and p.claimant_key not in unnamed]
        seen_pairs = set()
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                pair = tuple(sorted((a.claimant_key, b.claimant_key)))
                if a.claimant_key == b.claimant_key or pair in seen_pairs or not _disjoint(a, b):
                    continue
                if max(a.value, b.value) >= rules["far_apart_ratio"] * max(1, min(a.value, b.value)):
                    seen_pairs.add(pair)
                    flags.append(_flag("far_apart", a, b, f"{a.claimant}: {a.value:,} vs {b.claimant}: {b.value:,} on {day}"))
        outlets = {p.outlet for p in same_day if p.outlet}
        if len(outlets) >= 3:
            for p in same_day:
                others = [o for o in same_day if o.outlet and o.outlet != p.outlet]
                if others and all(_disjoint(p, o) for o in others):
                    closest = min(others, key=lambda o: abs(o.value - p.value))
                    flags.append(_flag("single_outlet", p, closest,
                                       f"only {p.outlet} carries {p.value:,} on {day}; "
                                       f"{len({o.outlet for o in others})} other outlets say otherwise"))
    return flags


def _figure_rows(connection: Connection, metrics: Iterable[str]):
    f, a = schema.figures, schema.articles
    query = (
        sa.select(f.c.id, f.c.article_id, f.c.metric, f.c.population, f.c.side, f.c.place, f.c.claimant, f.c.as_of,
                  f.c.value, f.c.qualifier, f.c.low, f.c.high, f.c.quote, f.c.since, a.c.source.label("outlet"))
        .join(a, a.c.id == f.c.article_id)
        .where(f.c.metric.in_(sorted(set(metrics))), f.c.forecast.is_(False))
    )
    return connection.execute(query).all()


def update_flags(connection: Connection, new_article_ids: Sequence[str]) -> int:
    """Recompute the flags of every series the new articles' figures belong to."""
    f = schema.figures
    new_rows = connection.execute(
        sa.select(f.c.metric, f.c.population, f.c.side, f.c.place).where(f.c.article_id.in_(list(new_article_ids)))
    ).all()
    touched = {series_key(r.metric, r.population, r.side, r.place) for r in new_rows}
    if not touched:
        return 0
    by_series: dict[str, list[Point]] = {}
    for p in points(_figure_rows(connection, {key.split("|", 1)[0] for key in touched})):
        if p.series in touched:
            by_series.setdefault(p.series, []).append(p)
    flags = {flag["id"]: flag for series in by_series.values() for flag in find_flags(series)}
    ff = schema.figure_flags
    connection.execute(ff.delete().where(ff.c.series.in_(sorted(touched))))
    if flags:
        connection.execute(ff.insert(), list(flags.values()))
    return len(flags)
