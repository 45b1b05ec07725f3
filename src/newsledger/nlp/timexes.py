"""The timex component: date expressions with ISO values resolved against the article's date.

:func:`find_timexes` finds every expression that points at a day, week, month
or year (SPEC section 4) with regular expressions over the text, reads the
tense of its clause from the parse when there is one, infers the publication
date when the article has none (see :mod:`newsledger.nlp.publication`), and
resolves each expression against ``doc._.reference_date``. Times of day,
durations and ages are not matched. Word lists live in
``data/timex_calendar.json`` and ``data/timex_cues.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsledger.models import PublishedInference, Timex
from newsledger.nlp import dates, syntax
from newsledger.nlp.publication import DateClues, ExplicitDay, infer_published
from newsledger.nlp.rules import load_rules
from newsledger.nlp.spans import text_of, write_record_spans

__all__ = ["TimexTagger", "find_timexes", "infer_publication"]


PAST, FUTURE, CONDITIONAL, PRESENT = "past", "future", "conditional", "present"
DEFAULT_REFERENCE_EVENT = "2022-02-24"  # the factory's default: day 1 of "Day 3 of the war"
_TENSE_SLACK_DAYS = 31  # how far a yearless day may sit on the "wrong" side of a tensed clause
_ANCHOR_SENTENCES = 2  # how far back an anaphoric "the same day" looks for its day


@dataclass(slots=True)
class _Candidate:
    """One date expression found in the text, before resolution."""

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    shift: int = 0  # -1 last, 0 this/bare, +1 next; or a day offset for "yesterday"
    modifier: str | None = None  # "last", "next", "this" as written
    count: int = 0
    unit: str | None = None
    week_of: bool = False
    tense: str | None = None
    value: str | None = None
    day_value: date | None = field(default=None)  # the resolved day, for anaphora


@dataclass(frozen=True, slots=True)
class _Rules:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    relative_days: dict[str, int]
    units: dict[str, str]
    future_auxiliaries: frozenset[str]
    conditional_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    past_prepositions: frozenset[str]
    future_prepositions: frozenset[str]
    bare_month_preceders: frozenset[str]
    year_blockers_after: frozenset[str]
    not_timex: re.Pattern
    patterns: tuple[tuple[str, re.Pattern], ...]
    # A pattern listed here can only match a text this finds something in:
    # a quick search that spares the slow scan of most texts.
    gates: dict[str, re.Pattern]


def _alternation(words, *, cased: bool = True) -> str:
    forms: set[str] = set()
    for word in words:
        forms.update({word.capitalize(), word.upper()} if cased else {word})
    return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    calendar = load_rules("timex_calendar")
    cues = load_rules("timex_cues")
    months = {**calendar["months"], **calendar["month_abbreviations"]}
    weekdays = calendar["weekdays"]

    month_full = _alternation(calendar["months"])
    month_any = _alternation(months)
    weekday = _alternation(weekdays)
    number = r"\d{1,2}|" + _alternation(calendar["number_words"], cased=False)
    ordinal = r"\d{1,3}(?:st|nd|rd|th)|" + _alternation(calendar["ordinal_words"], cased=False)
    qualifier = _alternation(cues["qualifiers"], cased=False)
    events = _alternation(cues["event_nouns"], cased=False)
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    lead = rf"(?:(?P<wd>{weekday}),?\s+)?(?P<wk>[Tt]he\s+week\s+of\s+)?"
    mod = r"(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|LAST|NEXT|THIS)"

    # Longer matches win over shorter overlapping ones; ties go to the earlier pattern.
    patterns = (
        ("iso", r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d-])"),
        ("numeric", r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![/\d])"),
        ("mdy", rf"\b{lead}(?P<mon>{month_any})\b\.?\s+{day}(?:,?\s+{year})?\b(?![,.:]?\d)"),
        # A month written in lower case is a date only with its day and year: "on march 2, 2022", never "march on".
        ("mdy", rf"\b(?P<mon>{_alternation(calendar['months'], cased=False)})\s+{day},?\s+{year}\b"),
        ("dmy", rf"\b{lead}(?<![\d,.]){day}(?:\s+of)?\s+(?P<mon>{month_any})\b(?:\.?,?\s+{year}\b)?"),
        ("month_year", rf"\b(?P<mon>{month_any})\b\.?,?\s+(?:of\s+)?{year}\b(?![,.]?\d)"),
        ("month_rel", rf"\b{mod}\s+(?P<mon>{month_full})\b"),
        ("month", rf"\b(?P<mon>{month_full})\b"),
        ("weekday", rf"\b(?:(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Cc]oming|[Pp]ast)\s+)?(?P<wd>{weekday})\b"),
        ("relday", r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow|YESTERDAY|TODAY|TONIGHT|TOMORROW)\b"),
        ("unit_rel", rf"\b(?:(?P<ee>[Ee]arlier|[Ll]ater)\s+)?{mod}\s+(?P<unit>week|month|year|weekend)\b"),
        ("weekend", r"\b[Tt]he\s+weekend\b"),
        ("ago", rf"(?i)\b(?:(?:{qualifier})\s+)?(?P<n>{number})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b"),
        ("later", rf"(?i)\b(?:(?:{qualifier})\s+)?(?P<n>{number})\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>later|earlier)\b"),
        ("day_after", r"\b[Tt]he\s+(?P<unit>day|week)\s+(?P<dir>after|before)\b"),
        ("next_day", r"\b[Tt]he\s+(?P<dir>next|following|previous|same)\s+day\b"),
        ("war_day", rf"(?i)\b(?:day\s+(?P<n>{number})|the\s+(?P<o>{ordinal})\s+day)\s+of\s+(?:[\w’'-]+\s+){{0,2}}?(?:{events})\b"),
        ("year", rf"(?<![\d$£€#.,/])(?<!\d-)\b{year}\b(?![\d,./-]\d)(?!\s*%)"),
    )
    not_timex = "|".join(re.escape(p) for p in sorted(cues["not_timex_phrases"], key=len, reverse=True))
    return _Rules(
        months=months,
        weekdays=weekdays,
        numbers=calendar["number_words"],
        ordinals=calendar["ordinal_words"],
        relative_days=calendar["relative_days"],
        units=calendar["units"],
        future_auxiliaries=frozenset(cues["future_auxiliaries"]),
        conditional_auxiliaries=frozenset(cues["conditional_auxiliaries"]),
        future_governors=frozenset(cues["future_governors"]),
        past_prepositions=frozenset(cues["past_prepositions"]),
        future_prepositions=frozenset(cues["future_prepositions"]),
        bare_month_preceders=frozenset(cues["bare_month_preceders"]),
        year_blockers_after=frozenset(cues["year_blockers_after"]),
        not_timex=re.compile(rf"\b(?:{not_timex})\b"),
        patterns=tuple((name, re.compile(p)) for name, p in patterns),
        gates={
            "ago": re.compile(r"(?i)\b(?:day|week|month|year)s?\s+ago\b"),
            "later": re.compile(r"(?i)\b(?:day|week|month|year)s?\s+(?:later|earlier)\b"),
        },
    )


# ---------------------------------------------------------------- finding


def _number(text: str, rules: _Rules) -> int | None:
    text = text.lower()
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    return rules.numbers.get(text, rules.ordinals.get(text))


def _previous_word(text: str, start: int) -> str:
    match = re.search(r"([\w-]+)[^\w\n]*$", text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def _follows_name(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a capitalised word inside a sentence."""
    before = text[max(0, start - 40) : start]
    match = re.search(r"(\S+) (\S+) $", before) or re.search(r"^()(\S+) $", before)
    if not match or not match.group(2)[:1].isupper():
        return False
    opener = match.group(1)
    return bool(opener) and not re.search(r"[.!?:;\"“”'‘’]$", opener)


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s*([\w%]+)", text[end : end + 30])
    return match.group(1) if match else ""


def _candidate(name: str, m: re.Match, text: str, rules: _Rules, day_first: bool) -> _Candidate | None:
    g = m.groupdict()
    start, end = m.span()
    if name in ("iso", "numeric", "mdy", "dmy"):
        if name == "iso":
            year, month, day = int(g["year"]), int(g["month"]), int(g["day"])
        elif name == "numeric":
            first, second, year = int(g["a"]), int(g["b"]), int(g["y"])
            year = year + 2000 if year < 100 else year
            month, day = (second, first) if day_first else (first, second)
            if month > 12 and day <= 12:
                month, day = day, month
        else:
            month, day = rules.months[g["mon"].lower()], int(g["day"])
            year = int(g["year"]) if g.get("year") else None
        if dates.safe_date(year or 2000, month, day) is None:
            return None
        weekday = rules.weekdays[g["wd"].lower()] if g.get("wd") else None
        return _Candidate(start, end, "date", year=year, month=month, day=day, weekday=weekday, week_of=bool(g.get("wk")))
    if name == "month_year":
        return _Candidate(start, end, "month", year=int(g["year"]), month=rules.months[g["mon"].lower()])
    if name == "month_rel":
        modifier = g["mod"].lower()
        return _Candidate(start, end, "month", month=rules.months[g["mon"].lower()], modifier=modifier)
    if name == "month":
        # A bare month name needs a preposition or time word before it ("in February",
        # "since October"): "May" and "March" are also a verb, a name and a noun.
        if _previous_word(text, start) not in rules.bare_month_preceders:
            return None
        return _Candidate(start, end, "month", month=rules.months[g["mon"].lower()])
    if name == "weekday":
        modifier = (g["mod"] or "").lower() or None
        return _Candidate(start, end, "weekday", weekday=rules.weekdays[g["wd"].lower()], modifier=modifier)
    if name == "relday":
        if g["word"][0].isupper() and _follows_name(text, start):
            return None  # "USA Today", "Tucker Carlson Tonight": a title, not a day
        return _Candidate(start, end, "relday", shift=rules.relative_days[g["word"].lower()])
    if name == "unit_rel":
        shift = {"last": -1, "this": 0, "next": 1}[g["mod"].lower()]
        unit = g["unit"]
        return _Candidate(start, end, "weekend" if unit == "weekend" else "rel", unit=unit, shift=shift, modifier=g["mod"].lower())
    if name == "weekend":
        return _Candidate(start, end, "weekend", unit="weekend")
    if name in ("ago", "later"):
        count = _number(g["n"], rules)
        if count is None:
            return None
        unit = rules.units[g["unit"].lower()]
        if name == "ago":
            return _Candidate(start, end, "ago", count=count, unit=unit)
        shift = 1 if g["dir"].lower() == "later" else -1
        return _Candidate(start, end, "anaphor", count=count, unit=unit, shift=shift)
    if name == "day_after":
        shift = 1 if g["dir"] == "after" else -1
        return _Candidate(start, end, "anaphor", count=1, unit=g["unit"], shift=shift, modifier="object")
    if name == "next_day":
        shift = {"next": 1, "following": 1, "previous": -1, "same": 0}[g["dir"]]
        return _Candidate(start, end, "anaphor", count=1, unit="day", shift=shift, modifier=g["dir"])
    if name == "war_day":
        count = _number(g["n"] or g["o"], rules)
        if count is None or count < 1 or count > 5000:
            return None
        return _Candidate(start, end, "war_day", count=count)
    if name == "year":
        following = _next_word(text, end)
        if following in rules.year_blockers_after or text[end : end + 1] in "%":
            return None
        return _Candidate(start, end, "year", year=int(g["year"]))
    return None


def _find_candidates(text: str, day_first: bool) -> list[_Candidate]:
    rules = _rules()
    found: list[tuple[int, int, int, _Candidate]] = []
    for priority, (name, pattern) in enumerate(rules.patterns):
        gate = rules.gates.get(name)
        if gate is not None and gate.search(text) is None:
            continue
        for m in pattern.finditer(text):
            candidate = _candidate(name, m, text, rules, day_first)
            if candidate is not None:
                found.append((-(candidate.end - candidate.start), priority, candidate.start, candidate))
    blocked = [m.span() for m in rules.not_timex.finditer(text)]
    chosen: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for _, _, _, candidate in sorted(found, key=lambda f: f[:3]):
        span = (candidate.start, candidate.end)
        if any(span[0] < b and a < span[1] for a, b in taken):
            continue
        taken.append(span)
        if any(span[0] < b and a < span[1] for a, b in blocked):
            continue
        chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------- tense


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def _verb_tense(verb: Token, rules: _Rules, depth: int = 0) -> str | None:
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowered = {a.lower_ for a in auxiliaries}
    if lowered & rules.future_auxiliaries:
        return FUTURE
    if lowered & rules.conditional_auxiliaries:
        # "could have been attacked on Sunday" looks back
        return PAST if lowered & {"have", "'ve", "’ve"} else CONDITIONAL
    if "to" in lowered and verb.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl") and depth < 2:
        governor = verb.head
        if governor.lemma_.lower() in rules.future_governors:
            # "was scheduled to launch on Friday" plans in the past: no tense to go by
            return None if _verb_tense(governor, rules, depth + 1) == PAST else FUTURE
        if governor is not verb and _is_verb(governor):
            return _verb_tense(governor, rules, depth + 1)
        return None
    if any(a.tag_ in ("VBD",) or "Past" in a.morph.get("Tense") for a in auxiliaries):
        return PAST
    if verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBN":
        if lowered & {"has", "have", "had", "'ve", "’ve"} or not auxiliaries:
            return PAST
        return PRESENT
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxiliaries):
        return PRESENT
    if verb.dep_ == "conj" and verb.head is not verb and _is_verb(verb.head) and depth < 2:
        return _verb_tense(verb.head, rules, depth + 1)
    return None


def _clause_tense(doc: Doc, candidate: _Candidate, rules: _Rules) -> str | None:
    """Past, future, conditional or present, from the verb governing the expression."""
    if not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    previous = doc[span.start - 1] if span.start > 0 else None
    if previous is not None and previous.lower_ in rules.past_prepositions:
        return PAST
    if previous is not None and previous.lower_ in rules.future_prepositions:
        # "declared a dividend, payable Dec. 15": the date lies ahead whatever the verb's tense
        return FUTURE
    for _ in range(6):
        if token.head is token:
            break
        token = token.head
        if _is_verb(token):
            return _verb_tense(token, rules)
    return None


# ---------------------------------------------------------------- resolution


def _month_year(month: int, tense: str | None, modifier: str | None, reference: date) -> int:
    """The year of a yearless month: not in the future for past narration."""
    now = (reference.year, reference.month)
    if modifier == "last":
        return reference.year if month < now[1] else reference.year - 1
    if modifier == "next":
        return reference.year if month > now[1] else reference.year + 1
    if modifier == "this":
        return reference.year
    if tense == FUTURE:
        return reference.year if month >= now[1] else reference.year + 1
    if tense == PAST:
        return reference.year if month <= now[1] else reference.year - 1
    # no tense to go by ("payable in January", "a deal in October"): the nearer one
    return min((reference.year - 1, reference.year, reference.year + 1), key=lambda y: abs((y * 12 + month) - (now[0] * 12 + now[1])))


def _day_year(month: int, day: int, weekday: int | None, tense: str | None, reference: date) -> int:
    """The year of a yearless day: the nearest, leaning to the past or future the clause is in.

    A weekday written with it ("Friday, March 4") picks the year it falls on that weekday.
    """
    options = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        candidate = dates.safe_date(year, month, day)
        if candidate is not None:
            options.append(candidate)
    if weekday is not None and any(d.weekday() == weekday for d in options):
        options = [d for d in options if d.weekday() == weekday]
    if not options:
        return reference.year
    nearest = min(options, key=lambda d: abs((d - reference).days))
    # A past verb can still point ahead ("was extended to Nov. 16"): only a day
    # well into the future is moved back a year, and the other way round.
    if tense == PAST and (nearest - reference).days > _TENSE_SLACK_DAYS:
        earlier = [d for d in options if d < nearest]
        return max(earlier).year if earlier else nearest.year
    if tense == FUTURE and (reference - nearest).days > _TENSE_SLACK_DAYS:
        later = [d for d in options if d > nearest]
        return min(later).year if later else nearest.year
    return nearest.year


def _weekday_date(candidate: _Candidate, reference: date) -> date:
    weekday = candidate.weekday or 0
    modifier = candidate.modifier
    if modifier in ("last", "past"):
        return dates.weekday_on_or_before(reference, weekday, strictly=True)
    if modifier in ("next", "coming"):
        return dates.weekday_on_or_after(reference, weekday, strictly=True)
    if candidate.tense in (FUTURE, CONDITIONAL):
        return dates.weekday_on_or_after(reference, weekday)
    before = dates.weekday_on_or_before(reference, weekday)
    if candidate.tense == PRESENT:
        # present tense is both the schedule ("meets on Wednesday") and the photo
        # caption ("tanks advance on Thursday"): the nearer day wins
        after = dates.weekday_on_or_after(reference, weekday)
        return after if (after - reference) < (reference - before) else before
    return before


def _shifted(anchor: date, count: int, unit: str, sign: int) -> tuple[str | None, date | None]:
    if unit == "day":
        day = dates.add_days(anchor, sign * count)
        return (dates.day_value(day), day) if day else (None, None)
    if unit == "week":
        day = dates.add_days(anchor, sign * 7 * count)
        return (dates.week_value(day), None) if day else (None, None)
    if unit == "month":
        year, month = dates.add_months(anchor.year, anchor.month, sign * count)
        return (dates.month_value(year, month), None) if 0 < year < 10000 else (None, None)
    year = anchor.year + sign * count
    return (dates.year_value(year), None) if 0 < year < 10000 else (None, None)


def _resolve(candidate: _Candidate, reference: date | None, reference_event: date | None) -> None:
    """Set ``value`` (and ``day_value`` for single days) of a non-anaphoric candidate."""
    kind = candidate.kind
    if kind == "date":
        year = candidate.year
        if year is None:
            if reference is None:
                return
            year = _day_year(candidate.month, candidate.day, candidate.weekday, candidate.tense, reference)
        day = dates.safe_date(year, candidate.month, candidate.day)
        if day is None:
            return
        candidate.value = dates.week_value(day) if candidate.week_of else dates.day_value(day)
        candidate.day_value = None if candidate.week_of else day
    elif kind == "month":
        year = candidate.year
        if year is None:
            if reference is None:
                return
            year = _month_year(candidate.month, candidate.tense, candidate.modifier, reference)
        candidate.value = dates.month_value(year, candidate.month)
    elif kind == "year":
        candidate.value = dates.year_value(candidate.year)
    elif kind == "war_day":
        if reference_event is not None:
            day = dates.add_days(reference_event, candidate.count - 1)
            if day is not None:
                candidate.value, candidate.day_value = dates.day_value(day), day
    elif reference is None:
        return
    elif kind == "weekday":
        day = _weekday_date(candidate, reference)
        candidate.value, candidate.day_value = dates.day_value(day), day
    elif kind == "relday":
        day = dates.add_days(reference, candidate.shift)
        if day is not None:
            candidate.value, candidate.day_value = dates.day_value(day), day
    elif kind == "rel":
        candidate.value, _ = _shifted(reference, abs(candidate.shift), candidate.unit, 1 if candidate.shift >= 0 else -1)
    elif kind == "weekend":
        saturday = dates.weekday_on_or_before(reference, 5)
        if candidate.shift < 0 and reference.weekday() >= 5:
            saturday = dates.add_days(saturday, -7)
        elif candidate.shift > 0 or (candidate.shift == 0 and candidate.tense == FUTURE):
            saturday = dates.weekday_on_or_after(reference, 5, strictly=candidate.shift > 0)
        if saturday is not None:
            candidate.value = dates.week_value(saturday)
    elif kind == "ago":
        candidate.value, candidate.day_value = _shifted(reference, candidate.count, candidate.unit, -1)


_FINEST_ANCHOR = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


def _anchor_of(candidate: _Candidate, unit: str) -> date | None:
    """The point ``candidate`` names, when it is fine enough to count ``unit``s from."""
    if candidate.day_value is not None:
        return candidate.day_value
    value = candidate.value or ""
    if re.fullmatch(r"\d{4}-\d{2}", value) and "month" in _FINEST_ANCHOR[unit]:
        return dates.safe_date(int(value[:4]), int(value[5:]), 1)
    if re.fullmatch(r"\d{4}", value) and "year" in _FINEST_ANCHOR[unit]:
        return dates.safe_date(int(value), 1, 1)
    return None


def _resolve_anaphor(candidate: _Candidate, resolved: list[_Candidate], sentence_starts: list[int], reference: date | None) -> None:
    """Resolve "the day after", "a week later", "the same day" against the time they refer to."""
    anchor: date | None = None
    sentence = _sentence_index(sentence_starts, candidate.start)
    if candidate.modifier == "object":
        # "the day after Russia invaded on 24 February": the day named after it, same sentence.
        for other in resolved:
            if other.start >= candidate.end and other.day_value is not None:
                if _sentence_index(sentence_starts, other.start) == sentence and other.start - candidate.end < 80:
                    anchor = other.day_value
                break
    if anchor is None:
        for other in reversed(resolved):
            if other.end <= candidate.start and other is not candidate and other.value is not None:
                if sentence - _sentence_index(sentence_starts, other.start) > _ANCHOR_SENTENCES:
                    break
                anchor = _anchor_of(other, candidate.unit)
                if anchor is not None:
                    break
    if anchor is None and candidate.modifier in ("same", "object"):
        anchor = reference
    if anchor is None:
        return
    candidate.value, candidate.day_value = _shifted(anchor, candidate.count if candidate.shift else 0, candidate.unit, candidate.shift or 1)


def _sentence_starts(doc: Doc) -> list[int]:
    if doc.has_annotation("SENT_START"):
        return [s.start_char for s in syntax.sentences(doc)]
    return [0] + [m.end() for m in re.finditer(r"[.!?][”\"’']?\s+|\n+", text_of(doc))]


def _sentence_index(starts: list[int], offset: int) -> int:
    index = 0
    for i, start in enumerate(starts):
        if start > offset:
            break
        index = i
    return index


# ---------------------------------------------------------------- publication


def _clues(candidates: list[_Candidate], text: str, reference_event: date | None) -> DateClues:
    clues = DateClues()
    for candidate in candidates:
        surface = text[candidate.start : candidate.end]
        if candidate.kind == "date" and not candidate.week_of:
            clues.days.append(
                ExplicitDay(
                    text=surface,
                    month=candidate.month,
                    day=candidate.day,
                    year=candidate.year,
                    tense=candidate.tense,
                    with_weekday=candidate.weekday is not None,
                    dateline=_is_dateline(text, candidate),
                )
            )
        elif candidate.kind == "year" and candidate.tense not in (FUTURE, CONDITIONAL):
            clues.years.append(candidate.year)
        elif candidate.kind == "weekday" and candidate.modifier == "last":
            clues.last_weekdays.append((candidate.weekday, surface))
        elif candidate.kind == "weekday" and candidate.modifier is None and candidate.tense == PAST:
            clues.past_weekdays.append((candidate.weekday, surface))
    event_words = "|".join(re.escape(w) for w in ("invasion", "invaded", "invade"))
    clues.mentions_reference_event = reference_event is not None and re.search(rf"\b(?:{event_words})\b", text, re.I) is not None
    return clues


_DATELINE_AFTER = re.compile(r"\s*(?:\([A-Z][\w .&/-]{0,30}\))?\s*[-–—:|]")
_DATELINE_BEFORE = re.compile(r"(?:^|\n)\s*(?:[A-Z][A-Za-z .'-]{1,40},\s*)?$")
_PUBLISHED_LABEL = re.compile(r"\b(?:[Pp]ublished|[Pp]osted|[Uu]pdated)(?:\s+on)?:?\s*$")


def _is_dateline(text: str, candidate: _Candidate) -> bool:
    """"KYIV, March 3 (Reuters) -" or "Published March 3, 2022" near the top."""
    if candidate.start > 300:
        return False
    before = text[max(0, candidate.start - 60) : candidate.start]
    if _PUBLISHED_LABEL.search(before):
        return True
    return bool(_DATELINE_BEFORE.search(before)) and bool(_DATELINE_AFTER.match(text, candidate.end))


def infer_publication(
    doc: Doc, *, day_first: bool = False, reference_event: str | date | None = DEFAULT_REFERENCE_EVENT
) -> PublishedInference | None:
    """The publication date an undated doc's own dates imply, or None when they say nothing."""
    event = _parse_event(reference_event)
    return infer_published(_clues(_tensed_candidates(doc, day_first), text_of(doc), event), event)


def _parse_event(reference_event: str | date | None) -> date | None:
    if reference_event is None or isinstance(reference_event, date):
        return reference_event
    try:
        return date.fromisoformat(str(reference_event))
    except ValueError:
        return None


# ---------------------------------------------------------------- component


def _counts_something(doc: Doc, text: str, candidate: _Candidate) -> bool:
    """Whether a year-like number is a count ("2000 troops"): a common noun follows it."""
    following = re.match(r"\s*([a-z]+)\b", text[candidate.end : candidate.end + 30])
    before = text[max(0, candidate.start - 10) : candidate.start]
    if following is None or re.search(r"(?:\b(?:[Tt]he|[Ii]n|[Ss]ince|[Uu]ntil|[Dd]uring|[Bb]efore|[Aa]fter)|['’]s)\s+$", before):
        return False  # "the 2022 elections", "Ukraine's 2019 elections", "in 2014 soldiers ..."
    if doc.has_annotation("TAG"):
        span = doc.char_span(candidate.end + following.start(1), candidate.end + following.end(1), alignment_mode="expand")
        return span is not None and span[0].tag_ == "NNS"
    word = following.group(1)
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def _tensed_candidates(doc: Doc, day_first: bool) -> list[_Candidate]:
    text = text_of(doc)
    if not text.strip():
        return []
    rules = _rules()
    candidates = [
        c for c in _find_candidates(text, day_first) if not (c.kind == "year" and _counts_something(doc, text, c))
    ]
    for candidate in candidates:
        candidate.tense = _clause_tense(doc, candidate, rules)
    return candidates


def find_timexes(
    doc: Doc, *, day_first: bool = False, reference_event: str | date | None = DEFAULT_REFERENCE_EVENT, reference: date | None = None
) -> list[Timex]:
    """Every date expression in ``doc`` with its ISO value resolved against ``reference``.

    ``reference`` is the publication date; relative expressions get value None without it.
    """
    return _resolve_all(_tensed_candidates(doc, day_first), doc, reference, _parse_event(reference_event))


def _resolve_all(candidates: list[_Candidate], doc: Doc, reference: date | None, event: date | None) -> list[Timex]:
    text = text_of(doc)
    for candidate in candidates:
        if candidate.kind != "anaphor":
            _resolve(candidate, reference, event)
    starts = _sentence_starts(doc)
    for candidate in candidates:
        if candidate.kind == "anaphor":
            _resolve_anaphor(candidate, candidates, starts, reference)
    return [Timex(c.start, c.end, text[c.start : c.end], c.value) for c in candidates]


class TimexTagger:
    """Writes ``doc._.timexes``; for an undated doc, first ``doc._.published_inferred``.

    The timexes then resolve against ``doc._.reference_date``: the known
    publication date, else the inferred one.
    """

    def __init__(self, day_first: bool = False, reference_event: str = DEFAULT_REFERENCE_EVENT) -> None:
        self.day_first = day_first
        self.reference_event = _parse_event(reference_event)

    def __call__(self, doc: Doc) -> Doc:
        candidates = _tensed_candidates(doc, self.day_first)
        if doc._.published is None:
            clues = _clues(candidates, text_of(doc), self.reference_event)
            doc._.published_inferred = infer_published(clues, self.reference_event)
        doc._.timexes = _resolve_all(candidates, doc, doc._.reference_date, self.reference_event)
        write_record_spans(doc, "timexes", doc._.timexes, "timex", lambda t: t.value or "")
        return doc
