"""TimeBank benchmark: value accuracy of newsledger's timexes on DATE TIMEX3, beside dateparser.

Usage: ``python benchmarks/timebank.py [TIMEBANK_DIR] [--verbose]``
(needs the ``bench`` extra: ``pip install -e '.[bench]'``).

For every ``.tml`` file the text inside ``<TEXT>`` is rebuilt without its
tags and its document creation time (DCT) becomes the publication date. The
gold expressions are the TIMEX3 of type DATE whose value is a day
(``1998-02-13``), an ISO week (``1998-W07``), a month (``1998-02``) or a year
(``1998``); vaguer values (``PRESENT_REF``, ``1998-Q1``, ``XXXX-XX-XX``) are
left out, as SPEC section 4 gives them no value either.

- newsledger: ``find_timexes`` over the whole text with the DCT as
  reference; a prediction matches a gold expression when their spans overlap
  (one to one, in text order), and is right when its value equals the gold
  value exactly, granularity included.
- dateparser: ``search_dates`` on each gold expression's own text with
  ``RELATIVE_BASE`` = DCT; its first hit is read at the gold value's
  granularity (it returns a datetime and cannot say "a month" itself, so this
  is generous to it). ``dateparser_prefer_past`` adds
  ``PREFER_DATES_FROM="past"``, the usual setting for news.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import spacy

from newsledger import settings
from newsledger.nlp.timexes import find_timexes

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "gold" / "external" / "timebank"

_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*\bvalue=\"(\d{4}-\d{2}-\d{2})")
_TEXT = re.compile(r"<TEXT>(.*)</TEXT>", re.S)
_TAG = re.compile(r"<TIMEX3(?P<attrs>[^>]*)>(?P<inner>.*?)</TIMEX3>|<[^>]+>", re.S)
_ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")
_DATE_VALUE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?$")


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeBankDoc:
    name: str
    dct: date
    text: str
    gold: list[GoldTimex]


def read_tml(path: Path) -> TimeBankDoc | None:
    """The plain text, DCT and gold DATE timexes of one TimeML file (None without a DCT or TEXT)."""
    raw = path.read_text(encoding="utf-8")
    dct = _DCT.search(raw)
    body = _TEXT.search(raw)
    if dct is None or body is None:
        return None
    parts: list[str] = []
    length = 0
    gold: list[GoldTimex] = []
    position = 0
    source = body.group(1)
    for match in _TAG.finditer(source):
        before = html.unescape(source[position : match.start()])
        parts.append(before)
        length += len(before)
        if match.group("attrs") is not None:
            attrs = dict(_ATTR.findall(match.group("attrs")))
            inner = html.unescape(re.sub(r"<[^>]+>", "", match.group("inner")))
            value = attrs.get("value", "")
            if attrs.get("type") == "DATE" and _DATE_VALUE.match(value):
                gold.append(GoldTimex(length, length + len(inner), inner, value))
            parts.append(inner)
            length += len(inner)
        position = match.end()
    parts.append(html.unescape(source[position:]))
    return TimeBankDoc(path.name, date.fromisoformat(dct.group(1)), "".join(parts), gold)


def at_granularity(day: date, like: str) -> str:
    """``day`` written at the granularity of the ISO value ``like``."""
    if re.fullmatch(r"\d{4}", like):
        return f"{day.year:04d}"
    if "W" in like:
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if re.fullmatch(r"\d{4}-\d{2}", like):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def dateparser_value(expression: str, dct: date, like: str, prefer_past: bool) -> str | None:
    from dateparser.search import search_dates

    config = {"RELATIVE_BASE": datetime.combine(dct, time())}
    if prefer_past:
        config["PREFER_DATES_FROM"] = "past"
    try:
        found = search_dates(expression, languages=["en"], settings=config)
    except Exception:  # dateparser raises on some odd inputs; count it as no answer
        return None
    if not found:
        return None
    return at_granularity(found[0][1].date(), like)


def evaluate(directory: Path, verbose: bool = False) -> dict:
    nlp = spacy.load(str(settings.get("model")), disable=["ner"])
    documents = [d for d in (read_tml(p) for p in sorted(directory.glob("*.tml"))) if d is not None]
    gold_total = matched = right = predicted = 0
    dateparser_right = {"dateparser": 0, "dateparser_prefer_past": 0}
    for document in documents:
        predictions = find_timexes(nlp(document.text), reference=document.dct, reference_event=None)
        predicted += len(predictions)
        used: set[int] = set()
        for gold in document.gold:
            gold_total += 1
            dateparser_right["dateparser"] += dateparser_value(gold.text, document.dct, gold.value, False) == gold.value
            dateparser_right["dateparser_prefer_past"] += (
                dateparser_value(gold.text, document.dct, gold.value, True) == gold.value
            )
            hit = next(
                (i for i, p in enumerate(predictions) if i not in used and p.start < gold.end and gold.start < p.end),
                None,
            )
            if hit is None:
                if verbose:
                    print(f"MISS {document.name} {gold.text!r} gold={gold.value}", file=sys.stderr)
                continue
            used.add(hit)
            matched += 1
            value = predictions[hit].value
            right += value == gold.value
            if verbose and value != gold.value:
                print(
                    f"VALUE {document.name} {gold.text!r} as {predictions[hit].text!r}={value} gold={gold.value} dct={document.dct}",
                    file=sys.stderr,
                )

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    return {
        "documents": len(documents),
        "gold_date_timexes": gold_total,
        "newsledger": {
            "predicted_timexes": predicted,
            "matched": matched,
            "span_recall": ratio(matched, gold_total),
            "value_accuracy_on_matched": ratio(right, matched),
            "value_accuracy_over_all_gold": ratio(right, gold_total),
        },
        **{name: {"value_accuracy_over_all_gold": ratio(n, gold_total)} for name, n in dateparser_right.items()},
        "heideltime_reference_value_f1": 0.78,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--verbose", action="store_true", help="list misses and wrong values on stderr")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")  # dateparser's deprecation chatter
    print(json.dumps(evaluate(args.directory, args.verbose)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
