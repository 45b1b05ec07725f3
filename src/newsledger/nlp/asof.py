"""The date a figure is true as of, and the date it counts from ("since ...").

Dates come from the timex component (``doc._.timexes``) when it found any;
otherwise a small reader here resolves the forms figures carry: explicit
days ("Feb. 24", "25 March", "March 1"), weekdays ("on Sunday", "as of
Friday"), "yesterday"/"today" and months ("in late March"), against the
article's reference date.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span

from newsledger.models import Timex

__all__ = ["DatedSpan", "dates_in", "as_of_and_since"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_MONTH_PREFIXES = {"in", "late", "early", "mid", "mid-", "end", "since", "of"}


@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    path = resources.files("newsledger.nlp") / "data" / "figure_exclusions.json"
    names = json.loads(path.read_text(encoding="utf-8"))["months"]
    full = names[:12]
    months = {name: i + 1 for i, name in enumerate(full)}
    for name in names[12:]:
        months[name] = next(i + 1 for i, f in enumerate(full) if f.startswith(name[:3]))
    return months


DatedSpan = tuple[int, int, str]  # token start, token end, ISO value


def _word(sent: Span, i: int) -> str:
    doc = sent.doc
    return doc[i].lower_.rstrip(".") if sent.start <= i < sent.end else ""


def _read_dates(sent: Span, reference: date | None) -> list[DatedSpan]:
    """Dates written in ``sent``, resolved against ``reference``."""
    if reference is None:
        return []
    months = _months()
    found: list[DatedSpan] = []
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        word = _word(sent, i)
        if word in months:
            month = months[word]
            day_match = _DAY.match(_word(sent, i + 1))
            if day_match and 1 <= int(day_match.group(1)) <= 31:
                found.append((i, i + 2, _safe_date(reference.year, month, int(day_match.group(1)))))
                i += 2
                continue
            day_before = _DAY.match(_word(sent, i - 1))
            if day_before and 1 <= int(day_before.group(1)) <= 31:
                found.append((i - 1, i + 1, _safe_date(reference.year, month, int(day_before.group(1)))))
                i += 1
                continue
            if _word(sent, i - 1) in _MONTH_PREFIXES and doc[i].is_title and word != "may":
                found.append((i, i + 1, f"{reference.year:04d}-{month:02d}"))
        elif word in _WEEKDAYS:
            back = (reference.weekday() - _WEEKDAYS.index(word)) % 7
            if _word(sent, i - 1) == "last" and back == 0:
                back = 7
            if _word(sent, i - 1) not in {"next", "coming"}:
                found.append((i, i + 1, (reference - timedelta(days=back)).isoformat()))
        elif word == "yesterday":
            found.append((i, i + 1, (reference - timedelta(days=1)).isoformat()))
        elif word in {"today", "tonight"}:
            found.append((i, i + 1, reference.isoformat()))
        i += 1
    return [d for d in found if d[2]]


def _safe_date(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def dates_in(sent: Span, timexes: list[Timex] | None, reference: date | None) -> list[DatedSpan]:
    """Day and month dates in ``sent``: from the timex component, else read here."""
    doc = sent.doc
    lo, hi = doc[sent.start].idx, doc[sent.end - 1].idx + len(doc[sent.end - 1])
    found: list[DatedSpan] = []
    for timex in timexes or ():
        if timex.value and lo <= timex.start < hi and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", timex.value):
            span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
            if span is not None:
                found.append((span.start, span.end, timex.value))
    if timexes:
        return found
    return _read_dates(sent, reference)


def _is_since(sent: Span, start: int) -> bool:
    for i in range(max(sent.start, start - 5), start):
        if sent.doc[i].lower_ == "since":
            return True
    return False


def as_of_and_since(
    sent: Span, anchor: int, timexes: list[Timex] | None, reference: date | None, since_event: str | None
) -> tuple[str | None, str | None]:
    """(as_of, since) for a figure whose number sits at token ``anchor`` in ``sent``."""
    dates = dates_in(sent, timexes, reference)
    since = None
    as_of_candidates = []
    for start, end, value in dates:
        if _is_since(sent, start):
            since = since or value
        else:
            as_of_candidates.append((start, end, value))
    if since is None and since_event:
        words = [t.lower_ for t in sent]
        if "since" in words:
            after = words[words.index("since") + 1 : words.index("since") + 6]
            events = set(_claimant_data()["since_events"])
            if any(w in events for w in after):
                since = since_event
    days = [c for c in as_of_candidates if len(c[2]) == 10]
    explicit = [c for c in days if not _is_weekday_like(sent, c)]
    pool = explicit or days or as_of_candidates
    if pool:
        best = min(pool, key=lambda c: abs(c[0] - anchor))
        return best[2], since
    return (reference.isoformat() if reference else None), since


def _is_weekday_like(sent: Span, candidate: DatedSpan) -> bool:
    start, end, _ = candidate
    return all(sent.doc[i].lower_ in _WEEKDAYS or sent.doc[i].lower_ in {"yesterday", "today", "tonight"} for i in range(start, end))


@lru_cache(maxsize=None)
def _claimant_data() -> dict:
    path = resources.files("newsledger.nlp") / "data" / "figure_claimants.json"
    return json.loads(path.read_text(encoding="utf-8"))
