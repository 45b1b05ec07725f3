"""Numbers as news writes them, read off spaCy tokens.

``find_numbers`` turns digits (``2,000``, Indian ``5,20,000``, ``1.5 million``),
number words (``four thousand``, ``a million``, ``half a million``, ``a dozen``),
vague counts (``dozens``, ``hundreds of thousands``) and ranges
(``between 2,000 and 4,000``, ``2,000-4,000``) into ``NumberMention`` records.
``reason_not_count`` says why a mention is a date, year, age, duration,
measure or fraction rather than a count, or returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LIKE_NUM, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc

from newsledger.nlp.rules import load_rules

__all__ = ["NumberMention", "find_numbers", "reason_not_count", "parse_number_text"]

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{2,3})+$|^\d+(?:\.\d+)?$")
_DASHES = {"-", "–", "—"}


@dataclass(frozen=True, slots=True)
class NumberMention:
    start: int  # token span of the number, end exclusive
    end: int
    value: int
    low: int | None = None
    high: int | None = None
    vague: bool = False
    money: bool = False


def _words() -> dict:
    return load_rules("figure_number_words")


def _exclusions() -> dict:
    return load_rules("figure_exclusions")


def _digit_value(text: str) -> float | None:
    if not _DIGITS.match(text):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _read_words(doc: Doc, i: int) -> tuple[float, int] | None:
    """A number written in words from token ``i``: (value, end) or None."""
    words = _words()
    units, scales, multiples = words["units"], words["scales"], words["multiples"]
    n = len(doc)
    low = doc[i].lower_
    if low in words["fractions"] and i + 2 < n and doc[i + 1].lower_ in words["articles"]:
        scale = doc[i + 2].lower_
        if scale in scales and scales[scale] >= 1000:
            return words["fractions"][low] * scales[scale], i + 3
        if scale in multiples:
            return words["fractions"][low] * multiples[scale], i + 3  # "half a dozen"
        return None
    if low in words["articles"]:
        if i + 1 < n and doc[i + 1].lower_ in scales and doc[i + 1].lower_ not in {"m", "k", "mn", "bn"}:
            value, j = float(scales[doc[i + 1].lower_]), i + 2
            while j < n and doc[j].lower_ in scales and scales[doc[j].lower_] > value:
                value *= scales[doc[j].lower_]
                j += 1
            return value, j
        if i + 1 < n and doc[i + 1].lower_ in multiples:
            return float(multiples[doc[i + 1].lower_]), i + 2
        return None
    if low not in units:
        return None
    total, current, j = 0.0, float(units[low]), i + 1
    if j + 1 < n and doc[j].text in _DASHES and doc[j + 1].lower_ in units and units[low] >= 20 and units[doc[j + 1].lower_] < 10:
        current += units[doc[j + 1].lower_]
        j += 2
    elif j < n and units[low] >= 20 and doc[j].lower_ in units and units[doc[j].lower_] < 10 and "-" in doc[i : j + 1].text:
        current += units[doc[j].lower_]
        j += 1
    while j < n:
        word = doc[j].lower_
        if word == "hundred":
            current *= 100
        elif word in scales and scales[word] >= 1000 and word not in {"m", "k", "mn", "bn"}:
            total += current * scales[word]
            current = 0.0
        elif word in multiples:
            current *= multiples[word]
        else:
            break
        j += 1
    return total + current, j


def _read_single(doc: Doc, i: int) -> tuple[float, int, bool] | None:
    """One number from token ``i``: (value, end, has_scale)."""
    n = len(doc)
    scales = _words()["scales"]
    value = _digit_value(doc[i].text)
    if value is not None:
        j = i + 1
        scaled = False
        if j < n and doc[j].lower_ in scales:
            value *= scales[doc[j].lower_]
            j += 1
            scaled = True
        elif j < n and doc[j].lower_ in _words()["multiples"]:
            value *= _words()["multiples"][doc[j].lower_]
            j += 1
        return value, j, scaled
    read = _read_words(doc, i)
    if read is None:
        return None
    return read[0], read[1], any(doc[k].lower_ in scales for k in range(i, read[1]))


def _read_vague(doc: Doc, i: int) -> tuple[float, int] | None:
    vague = _words()["vague"]
    scales = _words()["scales"]
    low = doc[i].lower_
    if low in _words()["vague_quantities"]:
        # "several thousand troops", "a few hundred", "a couple of thousand": the scale, vaguely
        j = i + 2 if i + 1 < len(doc) and doc[i + 1].lower_ == "of" else i + 1
        if j < len(doc) and scales.get(doc[j].lower_, 0) >= 100 and doc[j].lower_ not in {"m", "k", "mn", "bn"}:
            return _words()["vague_quantities"][low] * scales[doc[j].lower_], j + 1
        return None
    if low not in vague or doc[i].pos_ not in {"NOUN", "NUM", "PROPN", "X"} and doc[i].pos_:
        return None
    n = len(doc)
    has_of = i + 1 < n and doc[i + 1].lower_ == "of"
    if low in {"scores", "tens"} and not has_of:
        return None
    value, j = float(vague[low]), i + 1
    if has_of and i + 2 < n and doc[i + 2].lower_ in vague and vague[doc[i + 2].lower_] >= 1000:
        value *= vague[doc[i + 2].lower_]
        j = i + 3
    elif has_of and i + 2 < n and doc[i + 2].lower_ in scales:
        return None
    if low == "tens" and j == i + 1:
        return None
    return value, j


def _currency_before(doc: Doc, i: int) -> bool:
    excl = _exclusions()
    return i > 0 and doc[i - 1].text in excl["currency_symbols"]


def _mention_at(doc: Doc, i: int) -> NumberMention | None:
    n = len(doc)
    vague = _read_vague(doc, i)
    if vague is not None:
        return NumberMention(i, vague[1], round(vague[0]), vague=True)
    first = _read_single(doc, i)
    if first is None:
        return None
    value, end, scaled = first
    low = high = None
    joiner = doc[end].lower_ if end < n else ""
    ranged = (joiner in _DASHES and end > i) or (joiner == "and" and i > 0 and doc[i - 1].lower_ == "between") or (
        joiner == "to" and not (i > 0 and doc[i - 1].lower_ in {"from", "of"})
    )
    if ranged and end + 1 < n:
        second = _read_single(doc, end + 1)
        if second is not None and (doc[end + 1].like_num or second[2]):
            high_value, high_end, high_scaled = second
            if high_scaled and not scaled and value < 1000:
                scales = _words()["scales"]
                value *= max(scales.get(doc[k].lower_, 1) for k in range(end + 1, high_end))
            elif not high_scaled and value < 1000 and high_value >= 1000 and value * 1000 <= high_value:
                value *= 1000  # "40-50,000 soldiers": the thousands of the high bound apply to the low one
            if high_value > value:
                low, high, end = round(value), round(high_value), high_end
                scaled = scaled or high_scaled
    if value != int(value) and not scaled:
        return None  # "2.5" alone is a measure, not a count; "2.5 million" and "4.1-8.2 million" are counts
    money = _currency_before(doc, i) or (end < n and doc[end].lower_ in _exclusions()["currency_words"])
    return NumberMention(i, end, round(value), low, high, money=money)


@lru_cache(maxsize=1)
def _starter_ids() -> frozenset[int]:
    """String ids of the lower forms a number mention can start with, besides number-like tokens."""
    words = _words()
    starters = {*words["vague"], *words["vague_quantities"], *words["fractions"], *words["articles"], *words["units"]}
    return frozenset(get_string_id(word) for word in starters)


def _possible_starts(doc: Doc) -> list[int]:
    """The tokens ``_mention_at`` can read a number from: digits and number words, vague counts, articles.

    Read from two attribute arrays, so the other tokens are never looked at.
    """
    starters = _starter_ids()
    return [i for i, (lower, like_num) in enumerate(doc.to_array([LOWER, LIKE_NUM]).tolist()) if like_num or lower in starters]


def find_numbers(doc: Doc) -> list[NumberMention]:
    """Every number mention in ``doc``, left to right, without overlaps."""
    found: list[NumberMention] = []
    free = 0  # the first token not inside a mention already found
    for i in _possible_starts(doc):
        if i < free:
            continue
        try:
            mention = _mention_at(doc, i)
        except (ValueError, OverflowError):
            mention = None
        if mention is not None and mention.end > i:
            found.append(mention)
            free = mention.end
    return found


def _word(doc: Doc, i: int) -> str:
    return doc[i].lower_.rstrip(".") if 0 <= i < len(doc) else ""


def _month(doc: Doc, i: int, excl: dict) -> bool:
    """A month name; "may" and "march" only when they are not a modal or a verb ("thousands may have died")."""
    if _word(doc, i) not in excl["months"]:
        return False
    return doc[i].tag_ not in {"MD", "VB", "VBP", "VBZ", "VBD", "VBG", "VBN"} or doc[i].is_title and doc[i].tag_ != "MD"


def _named_model(doc: Doc, mention: NumberMention) -> bool:
    """A bare small number right after a capitalised name is a model or a label ("Falcon 9"), not a count."""
    if mention.start == 0 or mention.end != mention.start + 1 or not re.fullmatch(r"\d{1,3}", doc[mention.start].text):
        return False
    name = doc[mention.start - 1]
    return (
        name.pos_ == "PROPN"
        and name.is_title
        and bool(name.whitespace_)
        and name.ent_type_ not in {"GPE", "LOC", "NORP", "FAC"}
        and not name.is_sent_start
    )


def _after_a_sum(doc: Doc, start: int, excl: dict) -> bool:
    """Whether a sum opens a parenthesis right after another sum: "€20m (£16.6m)", "$713m (£559m)"."""
    k = start - 1
    if k >= 0 and doc[k].text in excl["currency_symbols"]:
        k -= 1
    if k < 1 or doc[k].text not in {"(", "["}:
        return False
    before = doc[k - 1]
    return before.like_num or before.lower_ in _words()["scales"] or before.lower_ in excl["currency_words"]


def _age_after_name(doc: Doc, mention: NumberMention) -> bool:
    """A small bare number set off by commas after a name is an age: "Kirill, 3,"."""
    if mention.end != mention.start + 1 or not doc[mention.start].text.isdigit() or int(doc[mention.start].text) > 110:
        return False
    if mention.start < 2 or doc[mention.start - 1].text != ",":
        return False
    name = doc[mention.start - 2]
    closing = mention.end >= len(doc) or doc[mention.end].is_punct
    return closing and name.pos_ == "PROPN" and name.is_title and name.ent_type_ not in {"GPE", "LOC", "FAC", "ORG"}


def reason_not_count(doc: Doc, mention: NumberMention) -> str | None:
    """Why the mention is not a count (``"date"``, ``"year"``, ``"unit"`` ...), or None."""
    excl = _exclusions()
    first, last = doc[mention.start], doc[mention.end - 1]
    text = first.text
    if first.ent_type_ in {"DATE", "TIME", "PERCENT", "ORDINAL"} and not mention.vague:
        return "date"
    if re.fullmatch(r"\d{4}", text) and 1800 <= int(text) <= 2100 and mention.end == mention.start + 1:
        return "year"
    if re.fullmatch(r"0\d+", text):
        return "code"
    if first.lower_ == "one" and _word(doc, mention.end) == "of":
        return "partitive"  # "one of the 4 million children": the count is the 4 million
    if mention.money and _after_a_sum(doc, mention.start, excl):
        return "conversion"  # "€20m (£16.6m)": the same sum in another currency
    if _age_after_name(doc, mention):
        return "age"  # "daughter Adelina, 9, son Kirill, 3"
    if _word(doc, mention.start - 2) in {"young", "old"} and _word(doc, mention.start - 1) == "as":
        return "age"  # "children as young as six"
    before = mention.start - 1
    while before >= 0 and doc[before].text in _DASHES:
        before -= 1
    after = mention.end
    while after < len(doc) and doc[after].text in _DASHES:
        after += 1
    if _month(doc, before, excl) or _month(doc, mention.end, excl):
        return "date"
    if _word(doc, mention.end) == "of" and _month(doc, mention.end + 1, excl):
        return "date"
    if _word(doc, before) in excl["before"]:
        return "label"
    if before >= 0 and before == mention.start - 2 and doc[before].is_alpha and not doc[before].whitespace_ and not doc[before + 1].whitespace_:
        return "model name"  # AH-64, Su-25 split by the tokenizer
    if _named_model(doc, mention):
        return "model name"  # Falcon 9, Atlas 5, Boeing 737
    after_word = _word(doc, after)
    forms = {after_word, after_word[:-1] if after_word.endswith("s") else after_word}
    if after < len(doc) and doc[after].lemma_:
        forms.add(doc[after].lemma_.lower())
    if forms & set(excl["units_after"]):
        return "unit"
    if _word(doc, after) in excl["fraction_words"]:
        return "fraction"
    if last.lower_ in excl["fraction_words"]:
        return "fraction"
    if ":" in text or re.search(r"\d\s\d", doc[mention.start : mention.end].text):
        return "time or phone"
    return None


def parse_number_text(text: str) -> int | None:
    """The value of a number written alone (``"5,20,000"``, ``"half a million"``), for tests and tools."""
    from spacy.lang.en import English

    doc = English()(text)
    mentions = find_numbers(doc)
    return mentions[0].value if mentions else None
