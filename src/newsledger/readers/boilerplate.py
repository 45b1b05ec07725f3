"""Remove lines that are not article text.

Three kinds of boilerplate, all described in ``boilerplate.json``:

- link blocks: a heading line such as "READ ALSO:" and the short,
  headline-like lines after it (seed ``002_1fcdc2a48f4510a7.txt``), or one
  line "Related: <headline>";
- repeated identical lines: the first one is kept;
- share / subscribe / follow / advertisement lines.

Only whole lines are removed, and only short ones, so a text with its
paragraphs collapsed into one line (the JSONL corpus) keeps every sentence.
A text with nothing to remove comes back unchanged, character for character,
so offsets into it stay those of the source.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["clean_text"]

_EXTRA_NEWLINES = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class _Rules:
    block_heading: re.Pattern[str]
    link_line: re.Pattern[str]
    share_line: re.Pattern[str]
    share_line_max_chars: int
    headline_max_words: int
    headline_max_chars: int
    headline_not_ending: tuple[str, ...]
    block_max_lines: int


@cache
def _rules() -> _Rules:
    data = json.loads(resources.files(__package__).joinpath("boilerplate.json").read_text(encoding="utf-8"))

    def any_of(patterns: list[str], suffix: str = "") -> re.Pattern[str]:
        return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")" + suffix, re.IGNORECASE)

    return _Rules(
        block_heading=any_of(data["link_block_headings"], data["heading_end"]),
        link_line=any_of(data["link_line_prefixes"]),
        share_line=any_of(data["share_lines"]),
        share_line_max_chars=data["share_line_max_chars"],
        headline_max_words=data["headline_max_words"],
        headline_max_chars=data["headline_max_chars"],
        headline_not_ending=tuple(data["headline_not_ending"]),
        block_max_lines=data["block_max_lines"],
    )


def _headline_like(line: str, rules: _Rules) -> bool:
    """Short and not ending like a sentence: a linked headline, not prose."""
    words = line.split()
    return (
        0 < len(words) <= rules.headline_max_words
        and len(line) <= rules.headline_max_chars
        and not line.endswith(rules.headline_not_ending)
    )


def _link_block_end(lines: list[str], start: int, rules: _Rules) -> int:
    """Index just past the headlines that follow the heading at ``start``."""
    end = start + 1
    headlines = 0
    index = start + 1
    while index < len(lines) and headlines < rules.block_max_lines:
        line = " ".join(lines[index].split())
        if not line:
            index += 1
            continue
        if not _headline_like(line, rules):
            break
        headlines += 1
        index += 1
        end = index  # blank lines after the last headline stay: they break paragraphs
    return end


def _is_single_line_boilerplate(line: str, rules: _Rules) -> bool:
    if len(line) > rules.share_line_max_chars:
        return False
    if rules.share_line.fullmatch(line):
        return True
    link = rules.link_line.fullmatch(line)
    return link is not None and _headline_like(link["headline"], rules)


def clean_text(text: str) -> str:
    """The text without link blocks, repeated lines and share/subscribe lines.

    Paragraph breaks ("\\n") are kept; a text with no boilerplate is returned
    as it is (newlines normalised to "\\n").
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rules = _rules()
    lines = text.split("\n")
    kept: list[str] = []
    seen: set[str] = set()
    removed = False
    index = 0
    while index < len(lines):
        line = lines[index]
        key = " ".join(line.split())
        if not key:
            kept.append(line)
            index += 1
            continue
        if len(key) <= rules.headline_max_chars and rules.block_heading.fullmatch(key):
            index = _link_block_end(lines, index, rules)
            removed = True
            continue
        folded = key.casefold()
        if folded in seen or _is_single_line_boilerplate(key, rules):
            removed = True
        else:
            seen.add(folded)
            kept.append(line)
        index += 1
    if not removed:
        return text
    cleaned = _EXTRA_NEWLINES.sub("\n\n", "\n".join(kept))
    return cleaned.lstrip("\n")
