"""Infer an undated article's publication date from the dates it mentions (internal).

The timex tagger collects :class:`DateClues` from the text and calls
:func:`infer_published`. Each clue narrows a window of possible publication
days; the result carries that window, a confidence that shrinks as the window
widens, and a sentence saying which words it rests on. With no clue at all
there is no inference.

The rules, none specific to one article:

- a dateline ("KYIV, March 3 (Reuters) -", "Published March 3, 2022") gives
  the day itself;
- the latest explicit day mentioned in past narration bounds the publication
  from below (an explicit day in future narration bounds it from above);
- ``last <weekday>`` naming the same day as an explicit date D means the
  article was written in the week after D: D+1 .. D+7;
- a bare weekday in past narration ("on Monday", "announced Monday") names a
  day of the current week, so it falls after the latest explicit day and
  after any ``last <weekday>``;
- when nothing else is known but the text is about the reference event (the
  invasion), the publication is on or after that event, with a low confidence.

Yearless dates take the year of the latest full date in the text, else the
reference event's year (the corpus default), with a lower confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from newsledger.models import PublishedInference
from newsledger.nlp.dates import safe_date, weekday_on_or_before

__all__ = ["DateClues", "ExplicitDay", "infer_published"]

_OPEN_WINDOW_DAYS = 30  # how long after its latest dated fact an undated article may appear


@dataclass(frozen=True, slots=True)
class ExplicitDay:
    """A day the text names by month and day, with the year when it gives one."""

    text: str
    month: int
    day: int
    year: int | None
    tense: str | None = None  # "past", "future", "conditional", "present" or None when unknown
    dateline: bool = False  # the article's own date line
    with_weekday: bool = False  # "Saturday, March 26, 2022", the way photo captions date a picture


@dataclass(slots=True)
class DateClues:
    days: list[ExplicitDay] = field(default_factory=list)
    years: list[int] = field(default_factory=list)  # bare years in past or neutral narration
    last_weekdays: list[tuple[int, str]] = field(default_factory=list)  # ("last Thursday")
    past_weekdays: list[tuple[int, str]] = field(default_factory=list)  # bare, in past narration
    mentions_reference_event: bool = False


def infer_published(clues: DateClues, reference_event: date | None) -> PublishedInference | None:
    """The publication window the clues allow, or None when they say nothing."""
    full_years = [d.year for d in clues.days if d.year is not None]
    if full_years:
        year, year_known = max(full_years), True
    elif reference_event is not None:
        year, year_known = reference_event.year, False
    else:
        return None

    for clue in clues.days:
        if clue.dateline:
            day = safe_date(clue.year or year, clue.month, clue.day)
            if day is not None:
                confidence = 0.95 if clue.year is not None else 0.8
                return PublishedInference(day, day, day, confidence, f"dateline {clue.text!r}")

    past_days: list[tuple[date, str]] = []
    future_days: list[date] = []
    for clue in clues.days:
        day = safe_date(clue.year or year, clue.month, clue.day)
        # Present tense is a caption ("poses ... Saturday, April 30, 2022": a past
        # day) or a schedule ("offer ends April 30"): only the caption's weekday tells.
        if day is None or (clue.tense == "present" and not clue.with_weekday):
            continue
        if clue.tense in ("future", "conditional"):
            future_days.append(day)
        else:
            past_days.append((day, clue.text))

    evidence: list[str] = []
    first = last = None
    anchored = False  # whether some clue ties the publication to a known week
    if past_days:
        latest, text = max(past_days)
        first, last = latest, latest + timedelta(days=_OPEN_WINDOW_DAYS)
        evidence.append(f"latest date mentioned {text!r} ({latest.isoformat()})")

    # "last Thursday" naming an explicit date D (or, in a text about it, the
    # reference event): written in the week after D.
    for weekday, text in clues.last_weekdays:
        matching = [day for day, _ in past_days if day.weekday() == weekday]
        about_event = clues.mentions_reference_event and reference_event is not None and reference_event.weekday() == weekday
        if not matching and not about_event:
            continue
        referent = max(matching) if matching else reference_event
        lo, hi = referent + timedelta(days=1), referent + timedelta(days=7)
        if first is not None and (lo > last or hi < first):
            continue
        first, last = (lo, hi) if first is None else (max(first, lo), min(last, hi))
        anchored = True
        source = "" if matching else " (the reference event)"
        evidence.append(f"{text!r} is {referent.isoformat()}{source}: written {lo.isoformat()}..{hi.isoformat()}")
    if first is None or last is None:
        return None
    upcoming = [d for d in future_days if d >= first]
    if upcoming:
        last = min(last, min(upcoming))

    # News reports the last few days: a bare weekday in past narration is most
    # likely yesterday or today. Publication is the day that keeps the weekdays
    # mentioned closest behind it; the window runs until the earliest of them
    # is a week old.
    chosen, window_last = first, last
    if clues.past_weekdays:
        def lag(day: date) -> int:
            return sum((day - weekday_on_or_before(day, w)).days for w, _ in clues.past_weekdays)

        chosen = min(_days(first, last), key=lambda d: (lag(d), d))
        if anchored:
            earliest = min(weekday_on_or_before(chosen, w) for w, _ in clues.past_weekdays)
            window_last = min(last, earliest + timedelta(days=6))
        names = sorted({text for _, text in clues.past_weekdays})
        evidence.append(f"{', '.join(repr(n) for n in names)} in past narration: published {chosen.isoformat()} or a few days later")
    first, last = chosen, window_last

    width = (last - first).days + 1
    confidence = min(0.95, 1.0 / (1.0 + 0.25 * (width - 1)))
    if not year_known:
        confidence *= 0.8
    if not past_days:
        confidence *= 0.5
    summary = "; ".join(evidence)
    if not year_known:
        summary += f"; year {year} assumed from the reference event"
    return PublishedInference(chosen, first, last, round(confidence, 3), summary)


def _days(first: date, last: date) -> list[date]:
    count = max(0, min((last - first).days, 400))
    return [first + timedelta(days=i) for i in range(count + 1)]
