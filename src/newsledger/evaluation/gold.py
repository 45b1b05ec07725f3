"""Read and check a gold file (SPEC.md section 6).

Each line becomes a ``GoldArticle``. Gold spans are given as text; the loader
turns each into the character spans it may match in the article (every
occurrence, or only the one at ``start`` when the item gives it), so scoring
never searches the text again. A line that does not follow SPEC raises
``GoldError`` naming the line and the reason.
"""

from __future__ import annotations

import re
import warnings

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from newsledger.errors import GoldError

__all__ = [
    "LAYERS",
    "SCORED_LAYERS",
    "GoldArticle",
    "GoldEvent",
    "GoldFigure",
    "GoldQuote",
    "GoldTimex",
    "load_gold",
    "parse_gold_article",
]

LAYERS = ("figures", "quotes", "timexes", "events", "entities")
SCORED_LAYERS = ("figures", "quotes", "timexes", "events")
QUOTE_KINDS = ("direct", "indirect")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldFigure:
    quote: str
    spans: tuple[Span, ...]  # where `quote` may match: every occurrence, or the one at `start`
    value: int
    qualifier: str | None
    metric: str | None
    side: str | None
    as_of: str | None
    claimant: str | None
    population: str | None = None
    place: str | None = None
    low: int | None = None
    high: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GoldQuote:
    kind: str
    content: str
    speaker: str | None
    speaker_aliases: tuple[str, ...] = ()
    cue: str | None = None
    content_full: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GoldTimex:
    text: str
    spans: tuple[Span, ...]
    value: str | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    type: str
    evidence: str
    spans: tuple[Span, ...]
    date: str | None
    place: str | None = None
    actors: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    published: date | None
    published_window: tuple[date, date] | None
    layers: frozenset[str]
    figures: tuple[GoldFigure, ...] = ()
    quotes: tuple[GoldQuote, ...] = ()
    timexes: tuple[GoldTimex, ...] = ()
    events: tuple[GoldEvent, ...] = ()
    source: str | None = None
    url: str | None = None
    title: str | None = None
    line: int | None = None  # 1-based line in the gold file

    def annotates(self, layer: str) -> bool:
        return layer in self.layers

    @property
    def dateless(self) -> bool:
        """Given no publication date, but a window the true date lies in."""
        return self.published is None and self.published_window is not None


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Every article of a gold JSONL file, checked against SPEC section 6."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file: {exc}") from exc
    articles: list[GoldArticle] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON: {exc.msg} (column {exc.colno})") from exc
        article = parse_gold_article(obj, where=where, line=number)
        if article.id in seen:
            raise GoldError(f"{where}: duplicate article id {article.id!r} (first on line {seen[article.id]})")
        seen[article.id] = number
        articles.append(article)
    return articles


def parse_gold_article(obj: object, where: str = "gold", line: int | None = None) -> GoldArticle:
    """One gold article from its decoded JSON object; ``where`` prefixes error messages."""
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    article_id = _required(obj, "id", str, where)
    text = _required(obj, "text", str, where)
    published = _iso_date(obj.get("published"), "published", where)
    window = _window(obj.get("published_window"), where)
    layers = _layers(obj.get("layers"), where)

    def items(layer: str) -> list[dict]:
        raw = obj.get(layer)
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise GoldError(f"{where}: {layer!r} must be a list, got {type(raw).__name__}")
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                raise GoldError(f"{where}: {layer}[{i}] must be an object, got {type(item).__name__}")
        return raw

    return GoldArticle(
        id=article_id,
        text=text,
        published=published,
        published_window=window,
        layers=layers,
        figures=tuple(_figure(item, text, f"{where}: figures[{i}]") for i, item in enumerate(items("figures"))),
        quotes=tuple(_quote(item, f"{where}: quotes[{i}]") for i, item in enumerate(items("quotes"))),
        timexes=tuple(_timex(item, text, f"{where}: timexes[{i}]") for i, item in enumerate(items("timexes"))),
        events=tuple(_event(item, text, f"{where}: events[{i}]") for i, item in enumerate(items("events"))),
        source=_optional(obj, "source", str, where),
        url=_optional(obj, "url", str, where),
        title=_optional(obj, "title", str, where),
        line=line,
    )


def _figure(item: dict, text: str, where: str) -> GoldFigure:
    quote = _required(item, "quote", str, where)
    return GoldFigure(
        quote=quote,
        spans=_spans(text, quote, item, "quote", where),
        value=_required(item, "value", int, where),
        qualifier=_optional(item, "qualifier", str, where),
        metric=_optional(item, "metric", str, where),
        side=_optional(item, "side", str, where),
        as_of=_optional(item, "as_of", str, where),
        claimant=_optional(item, "claimant", str, where),
        population=_optional(item, "population", str, where),
        place=_optional(item, "place", str, where),
        low=_optional(item, "low", int, where),
        high=_optional(item, "high", int, where),
        note=_optional(item, "note", str, where),
    )


def _quote(item: dict, where: str) -> GoldQuote:
    kind = _required(item, "kind", str, where)
    if kind not in QUOTE_KINDS:
        raise GoldError(f"{where}: 'kind' must be one of {', '.join(QUOTE_KINDS)}, got {kind!r}")
    aliases = item.get("speaker_aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise GoldError(f"{where}: 'speaker_aliases' must be a list of strings")
    return GoldQuote(
        kind=kind,
        content=_required(item, "content", str, where),
        speaker=_optional(item, "speaker", str, where),
        speaker_aliases=tuple(aliases),
        cue=_optional(item, "cue", str, where),
        content_full=_optional(item, "content_full", str, where),
        note=_optional(item, "note", str, where),
    )


def _timex(item: dict, text: str, where: str) -> GoldTimex:
    timex_text = _required(item, "text", str, where)
    return GoldTimex(
        text=timex_text,
        spans=_spans(text, timex_text, item, "text", where),
        value=_optional(item, "value", str, where),
        note=_optional(item, "note", str, where),
    )


def _event(item: dict, text: str, where: str) -> GoldEvent:
    evidence = _required(item, "evidence", str, where)
    actors = item.get("actors") or []
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        raise GoldError(f"{where}: 'actors' must be a list of strings")
    return GoldEvent(
        type=_required(item, "type", str, where),
        evidence=evidence,
        spans=_spans(text, evidence, item, "evidence", where),
        date=_optional(item, "date", str, where),
        place=_optional(item, "place", str, where),
        actors=tuple(actors),
        note=_optional(item, "note", str, where),
    )


def _spans(text: str, needle: str, item: dict, field: str, where: str) -> tuple[Span, ...]:
    """Where a gold string may match: the occurrence at `start`, else every occurrence.

    A string that differs from the text only in whitespace still matches. One
    that is not in the text at all is kept with no span (a miss that nothing can
    match) and a warning, so one sloppy item does not stop a whole evaluation.
    """
    if not needle:
        raise GoldError(f"{where}: {field!r} is empty")
    start = item.get("start")
    if start is not None and not _is_int(start):
        raise GoldError(f"{where}: 'start' must be an offset into the text, got {start!r}")
    pattern = re.compile(r"\s+".join(re.escape(part) for part in needle.split()))
    spans = tuple(m.span() for m in pattern.finditer(text))
    if start is not None:
        at_start = tuple(span for span in spans if span[0] == start)
        if at_start:
            return at_start
        warnings.warn(f"{where}: the text at start={start} is not the {field} {needle!r}; any occurrence may match")
    if not spans:
        warnings.warn(f"{where}: the {field} {needle!r} does not occur in the article text; it can only be missed")
    return spans


def _layers(raw: object, where: str) -> frozenset[str]:
    if raw is None:
        return frozenset(LAYERS)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise GoldError(f"{where}: 'layers' must be a list of layer names")
    unknown = sorted(set(raw) - set(LAYERS))
    if unknown:
        raise GoldError(f"{where}: unknown layer(s) {', '.join(unknown)} (known: {', '.join(LAYERS)})")
    return frozenset(raw)


def _window(raw: object, where: str) -> tuple[date, date] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 2:
        raise GoldError(f"{where}: 'published_window' must be [first, last] or null")
    first = _iso_date(raw[0], "published_window", where)
    last = _iso_date(raw[1], "published_window", where)
    if first is None or last is None or first > last:
        raise GoldError(f"{where}: 'published_window' must be two ISO dates, first <= last, got {raw!r}")
    return first, last


def _iso_date(raw: object, field: str, where: str) -> date | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise GoldError(f"{where}: {field!r} must be an ISO date (YYYY-MM-DD) or null, got {raw!r}")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise GoldError(f"{where}: {field!r} must be an ISO date (YYYY-MM-DD), got {raw!r}") from exc


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_ok(value: object, kind: type) -> bool:
    return _is_int(value) if kind is int else isinstance(value, kind)


def _required(obj: dict, key: str, kind: type, where: str):
    if key not in obj or obj[key] is None:
        raise GoldError(f"{where}: missing required field {key!r}")
    value = obj[key]
    if not _type_ok(value, kind):
        raise GoldError(f"{where}: {key!r} must be {kind.__name__}, got {value!r}")
    return value


def _optional(obj: dict, key: str, kind: type, where: str):
    value = obj.get(key)
    if value is not None and not _type_ok(value, kind):
        raise GoldError(f"{where}: {key!r} must be {kind.__name__} or null, got {value!r}")
    return value
