"""Plain text files, including the seeds' house format.

A file may begin with the metadata prefix `` date YYYY-MM-DD `` on the line
of its first sentence (SPEC section 1): that is the publication date and is
not part of the text. A file without it has no known date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from newsledger.readers.articles import build_article
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["read_text", "split_date_prefix"]

_DATE_PREFIX = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?:[ \t]+|[ \t]*\n)")


def split_date_prefix(text: str) -> tuple[date | None, str]:
    """(published date or None, text without the prefix)."""
    match = _DATE_PREFIX.match(text)
    if match is None:
        return None, text
    try:
        published = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        published = None  # the prefix is still metadata, only its date is impossible
    return published, text[match.end() :]


def read_text(item: str, text: str, options: ReadOptions) -> Iterator[Article | Rejected]:
    published, body = split_date_prefix(text)
    yield build_article(body, origin=item, options=options, published=published)
