"""The article view's highlights: an article's text cut at every record's edges.

Records overlap (a figure inside a quote inside an event's evidence), so the
text is cut into segments at every start and end; each segment names every
record covering it. The template writes each segment as one escaped span.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsledger.jsonable import to_jsonable
from newsledger.models import Extraction

__all__ = ["LAYERS", "Mark", "Segment", "marks", "segments"]

# Legend order; each layer has its own colour in static/style.css.
LAYERS = {
    "figure": "figures",
    "quote": "quotes",
    "timex": "dates",
    "entity": "entities and places",
    "event": "events",
}


@dataclass(frozen=True, slots=True)
class Mark:
    """One record as a highlight: its layer, offsets, one-line label and fields."""

    ref: str  # "figure-3": the record's place in its layer, unique in the article
    layer: str
    start: int
    end: int
    label: str
    fields: dict


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    refs: tuple[str, ...]
    layers: tuple[str, ...]
    opens: tuple[str, ...] = ()  # layers with a record starting here: the anchors "#figure-<start>"


def _label(layer: str, record) -> str:
    if layer == "figure":
        claimant = f", {record.claimant}" if record.claimant else ""
        words = "" if record.qualifier == "exact" else record.qualifier.replace("_", " ") + " "
        return f"figure: {words}{record.value:,} {record.metric}{claimant}"
    if layer == "quote":
        return f"{record.kind} quote: {record.speaker or 'unknown speaker'}"
    if layer == "timex":
        return f"date: {record.value or 'unresolved'}"
    if layer == "entity":
        return f"{record.label}: {record.canonical}"
    return f"event: {record.type}" + (f" on {record.date}" if record.date else "") + (
        f" in {record.place}" if record.place else ""
    )


def marks(extraction: Extraction) -> list[Mark]:
    """Every record of the article as a highlight, clipped to the text."""
    size = len(extraction.article.text)
    layers = {
        "figure": extraction.figures,
        "quote": extraction.quotes,
        "timex": extraction.timexes,
        "entity": extraction.entities,
        "event": extraction.events,
    }
    result = []
    for layer, records in layers.items():
        for index, record in enumerate(records):
            start, end = max(0, record.start), min(size, record.end)
            if start >= end:
                continue
            fields = {k: v for k, v in to_jsonable(record).items() if k != "article_id"}
            result.append(Mark(f"{layer}-{index}", layer, start, end, _label(layer, record), fields))
    return result


def segments(text: str, highlights: list[Mark]) -> list[Segment]:
    """``text`` cut at every highlight edge, each piece with the highlights covering it."""
    edges: dict[int, list[tuple[bool, Mark]]] = {}
    for mark in highlights:
        edges.setdefault(mark.start, []).append((True, mark))
        edges.setdefault(mark.end, []).append((False, mark))
    cuts = sorted({0, len(text), *edges})
    active: dict[str, Mark] = {}
    result = []
    for here, following in zip(cuts, cuts[1:]):
        opens = []
        for opening, mark in edges.get(here, ()):
            if opening:
                active[mark.ref] = mark
                opens.append(mark.layer)
            else:
                active.pop(mark.ref, None)
        ordered = sorted(active.values(), key=lambda m: (list(LAYERS).index(m.layer), m.start))
        result.append(
            Segment(
                text[here:following], here, tuple(m.ref for m in ordered),
                tuple(dict.fromkeys(m.layer for m in ordered)), tuple(dict.fromkeys(opens)),
            )
        )
    return result
