"""Quotation marks in raw text: which ones open, which close, and the passages between them.

Works on the characters alone (no parse), so it can never be thrown by the
tokenizer, and it never raises: a mark it cannot pair is ignored. Double marks
(straight and curly) delimit quotations; single marks do too when they are
not inside a double-quoted passage and are not apostrophes (don't, Russia’s,
the ’90s, Fox News’ request). Two single marks written for a double one
(``''A,'' he said``, the style of some archives) count as a double mark in a
text that has no double marks.

A passage whose marks are reopened without being closed (``“A. “B.”``: the
house style for a quotation running over several paragraphs, also when the
paragraph breaks were collapsed) comes out as several `Passage`s, the
unclosed ones flagged ``reopened``; the quotes module joins them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Passage", "find_passages"]

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_OPENERS_BEFORE = "([{—–-/"  # a mark right after one of these opens
_SENTENCE_END = ".?!…:;,"


@dataclass(frozen=True, slots=True)
class Passage:
    """The text between an opening mark and its closing mark (or where it stops)."""

    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when it was never closed
    reopened: bool = False  # stopped because the same quotation reopens (next paragraph)
    single: bool = False


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _direction(text: str, i: int, width: int = 1) -> str:
    """'open', 'close' or 'either' for the mark at ``i`` (``width`` characters), from the characters around it."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + width] if i + width < len(text) else ""
    left_free = _is_space(before) or before in _OPENERS_BEFORE
    right_free = _is_space(after) or (not after.isalnum() and after not in "'‘’\"“”")
    if left_free and not right_free:
        return "open"
    if right_free and not left_free:
        return "close"
    return "either"


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isalnum() and after.isalnum():  # don't, Russia’s
        return True
    if after.isdigit():  # the ’90s, '22
        return True
    if _is_space(before) and after.isalpha() and text[i + 1 : i + 3].lower() in ("s ", "em", "n "):
        return True  # 's, 'em, rock 'n roll
    return False


def _double_passages(text: str) -> list[Passage]:
    passages: list[Passage] = []
    opened: int | None = None  # offset of the current opening mark
    inside_from = 0  # first character after it
    skip_to = 0  # the second character of a doubled mark is not a mark of its own
    # '' for " is a house style of its own (newspaper archives): trusted only in a text with no
    # double marks, where a stray '' (mangled text beside real quotes) cannot flip their pairing
    doubled_style = not any(ch in text for ch in _OPEN_DOUBLE + _CLOSE_DOUBLE + '"')
    for i, ch in enumerate(text):
        if ch == "\n" and opened is not None:
            # a paragraph ends inside the quotation: it stops here, and continues
            # only if the next paragraph reopens its marks
            end = _rstrip(text, inside_from, i)
            reopens = _opens_a_quotation(text, opened) and _next_paragraph_reopens(text, i)
            passages.append(Passage(inside_from, end, opened, None, reopened=reopens))
            opened = None
            continue
        if skip_to > i:
            continue
        doubled = doubled_style and (text.startswith("''", i) or text.startswith("``", i))
        if ch not in _OPEN_DOUBLE and ch not in _CLOSE_DOUBLE and ch != '"' and not doubled:
            continue
        if doubled:
            skip_to = i + 2  # two single marks written for one double mark (''A,'' he said)
            direction = "open" if ch == "`" else _direction(text, i, width=2)
            if direction == "either":
                continue  # '' between spaces or inside a word is debris, not a quotation mark
            mark_end = i + 1
        else:
            direction = _direction(text, i)
            mark_end = i
        if ch in _OPEN_DOUBLE and direction == "close" and opened is None:
            direction = "open"  # a curly opener is an opener unless we are inside a quote
        elif ch in _OPEN_DOUBLE and direction != "close":
            direction = "open"
        elif ch in _CLOSE_DOUBLE and direction == "open" and opened is not None:
            direction = "close"
        elif ch in _CLOSE_DOUBLE and direction != "open":
            direction = "close"
        if direction == "either":
            direction = "close" if opened is not None else "open"
        if direction == "open":
            if opened is not None:
                if i - inside_from <= 0:  # “” or "" with nothing inside: noise
                    opened = None
                    continue
                # reopened without closing: the same quotation runs on
                end = _rstrip(text, inside_from, i)
                passages.append(Passage(inside_from, end, opened, None, reopened=_opens_a_quotation(text, opened)))
            opened, inside_from = i, mark_end + 1
        elif opened is not None:
            passages.append(Passage(inside_from, i, opened, mark_end))
            opened = None
    if opened is not None:
        passages.append(Passage(inside_from, _rstrip(text, inside_from, len(text)), opened, None))
    return passages


def _single_passages(text: str, inside: list[Passage]) -> list[Passage]:
    """Single-quoted passages outside every double-quoted one, closed in the same paragraph."""
    covered = [(p.open_mark, (p.close_mark if p.close_mark is not None else p.end) + 1) for p in inside]
    passages: list[Passage] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            opened = None
            continue
        if ch not in _OPEN_SINGLE and ch not in _CLOSE_SINGLE and ch != "'":
            continue
        if any(a <= i < b for a, b in covered) or _is_apostrophe(text, i) or "''" in text[max(i - 1, 0) : i + 2]:
            continue  # a doubled mark ('') stands for a double one
        direction = _direction(text, i)
        if opened is None and direction == "open" and ch not in _CLOSE_SINGLE:
            opened = i
        elif opened is not None and direction in ("close", "either") and ch not in _OPEN_SINGLE:
            if i - opened > 1:
                passages.append(Passage(opened + 1, i, opened, i, single=True))
            opened = None
        elif opened is not None and direction == "open":
            opened = i  # the earlier mark was not an opener after all
    return passages


def _opens_a_quotation(text: str, mark: int) -> bool:
    """Does the mark start a quotation that may run on (paragraph start, after a cue or a sentence)?

    A mark in the middle of a clause ("called it "a disgrace") that is never closed is a
    stray, not the first paragraph of a long quotation.
    """
    j = mark - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in "\n:,.!?…—–-" or text[j] in _CLOSE_DOUBLE or text[j] == '"'


def _next_paragraph_reopens(text: str, newline: int) -> bool:
    j = newline
    while j < len(text) and text[j].isspace():
        j += 1
    return j < len(text) and (text[j] in _OPEN_DOUBLE or text[j] == '"' or text.startswith(("''", "``"), j))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_passages(text: str) -> list[Passage]:
    """Every quoted passage of ``text``, in reading order."""
    doubles = _double_passages(text)
    singles = _single_passages(text, doubles)
    return sorted(doubles + singles, key=lambda p: p.start)
