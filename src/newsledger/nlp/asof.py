"""The date a figure is true as of, and the date it counts from ("since ...").

Dates come from the timex component (``doc._.timexes``) when it found any;
otherwise a small reader here resolves the forms figures carry: explicit
days ("Feb. 24", "25 March", "March 1"), weekdays ("on Sunday", "as of
Friday"), "yesterday"/"today" and months ("in late March"), against the
article's reference date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Span, Token

from newsledger.models import Timex
from newsledger.nlp.rules import load_rules

__all__ = ["DatedSpan", "dates_in", "as_of_and_since"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DAY = re.compile(r"^(\d{1,2})(st|nd|rd|th)?$")
_MONTH_PREFIXES = {"in", "late", "early", "mid", "mid-", "end", "since", "of"}
_YEAR_PREPS = {"in", "since", "by", "during", "of"}


@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    names = load_rules("figure_exclusions")["months"]
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
        elif _is_past_year(word, reference) and _word(sent, i - 1) in _YEAR_PREPS:
            found.append((i, i + 1, word))
        i += 1
    return [d for d in found if d[2]]


def _is_past_year(value: str, reference: date | None) -> bool:
    """ "in 2015": a figure dated to a year before the article's is true as of that year."""
    return bool(re.fullmatch(r"\d{4}", value)) and reference is not None and 1900 <= int(value) < reference.year


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
        dated = re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", timex.value or "") or _is_past_year(timex.value or "", reference)
        if timex.value and lo <= timex.start < hi and dated:
            span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
            if span is None or len(timex.value) == 4 and _word(sent, span.start - 1) not in _YEAR_PREPS:
                continue  # "the 2014 war" names a war, it does not date the figure
            found.append((span.start, span.end, timex.value))
    if timexes:
        return found
    return _read_dates(sent, reference)


def _is_since(sent: Span, start: int) -> bool:
    """ "since Feb. 24", "since the assault began on Feb. 24"."""
    for i in range(max(sent.start, start - 5), start):
        if sent.doc[i].lower_ == "since":
            return True
    token = sent.doc[start]
    for _ in range(4):
        if token.lower_ == "since" or any(c.lower_ == "since" and c.dep_ in {"mark", "prep"} for c in token.children):
            return True
        if token.head.i == token.i:
            break
        token = token.head
    return False


def _is_range_start(sent: Span, start: int, end: int) -> bool:
    """ "Between Feb. 24 and midnight on Friday": the first end of a range counts from, it is not the day counted to."""
    opener = next((sent.doc[i].lower_ for i in range(max(sent.start, start - 2), start)
                   if sent.doc[i].lower_ in {"between", "from"}), None)
    after = sent.doc[end].lower_ if end < sent.end else ""
    return opener == "between" and after == "and" or opener == "from" and after in {"to", "until", "through", "till"}


def _clause_of(token: Token) -> set[int]:
    """The number's token and the words it hangs from; past a conjoined clause with its own subject, only reporting verbs."""
    ids = {token.i}
    own = {t.i for t in token.subtree} | {token.i}
    report = set(_claimant_data()["report_verbs"])
    inside = True
    for _ in range(12):
        if token.head.i == token.i:
            break
        if token.dep_ == "conj" and token.pos_ in {"VERB", "AUX"}:
            subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
            if any(c.i not in own for c in subjects):
                inside = False
        token = token.head
        own.add(token.i)
        if inside or token.lemma_.lower() in report:
            ids.add(token.i)
    return ids


def _applies(sent: Span, start: int, end: int, clause: set[int]) -> bool:
    """A date applies to the figure when it modifies the figure's clause, its reporting verb or its attribution."""
    if any(start <= i < end for i in clause):
        return True
    attached = _attachment(sent, start, end)
    if attached.i in clause:
        return True
    if attached.dep_ in {"nsubj", "nsubjpass"} and attached.head.i in clause:
        return True
    return any(t.lower_ == "according" for t in attached.ancestors) or attached.lower_ == "according"


def _attachment(sent: Span, start: int, end: int) -> Token:
    """The word a date phrase modifies: "killed on Sunday" -> killed."""
    doc = sent.doc
    root = next((t for t in doc[start:end] if not start <= t.head.i < end or t.head is t), doc[start])
    token = root.head
    while token.pos_ == "ADP" and token.head.i != token.i:
        token = token.head
    return token


def as_of_and_since(
    sent: Span, anchor: int, timexes: list[Timex] | None, reference: date | None, since_event: str | None
) -> tuple[str | None, str | None]:
    """(as_of, since) for a figure whose number sits at token ``anchor`` in ``sent``."""
    dates = dates_in(sent, timexes, reference)
    since = None
    as_of_candidates = []
    clause = _clause_of(sent.doc[anchor])
    range_ends: set[int] = set()
    for start, end, value in dates:
        if _is_range_start(sent, start, end):
            since = since or value
            range_ends.update(s for s, _, _ in dates if end < s <= end + 6)  # "... and midnight on Friday"
        elif _is_since(sent, start):
            since = since or value
        elif start in range_ends or _applies(sent, start, end, clause):
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


def _claimant_data() -> dict:
    return load_rules("figure_claimants")
