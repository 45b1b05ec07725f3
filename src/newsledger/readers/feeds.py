"""RSS and Atom feeds through feedparser: one article per entry."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import feedparser

from newsledger.errors import EmptyInput, MalformedInput
from newsledger.readers.articles import build_article
from newsledger.readers.dates import parse_date
from newsledger.readers.htmlpage import html_to_text
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["read_feed"]


def _as_text(detail: dict) -> str:
    value = detail.get("value") or ""
    kind = (detail.get("type") or "text/html").lower()
    return value if kind == "text/plain" else html_to_text(value)


def _entry_text(entry) -> str:
    """The longest of the entry's content parts, else its summary."""
    parts = [_as_text(content) for content in entry.get("content") or []]
    if entry.get("summary_detail"):
        parts.append(_as_text(entry["summary_detail"]))
    elif entry.get("summary"):
        parts.append(html_to_text(entry["summary"]))
    return max(parts, key=len, default="")


def _entry_date(entry) -> date | None:
    for key in ("published", "updated", "created"):
        if (parsed := parse_date(entry.get(key))) is not None:
            return parsed
    for key in ("published_parsed", "updated_parsed"):
        struct = entry.get(key)
        if struct:
            try:
                return date(struct.tm_year, struct.tm_mon, struct.tm_mday)
            except ValueError:
                continue
    return None


def _entry_title(entry) -> str | None:
    detail = entry.get("title_detail") or {}
    title = entry.get("title")
    return _as_text({"value": title, "type": detail.get("type")}) if title else None


def read_feed(item: str, data: bytes, options: ReadOptions) -> Iterator[Article | Rejected]:
    """Entries become articles with origin = the entry link (else ``item#N``)."""
    # A stream, never a str: feedparser would treat a str as a URL or a file name.
    # Its sanitizer keeps the text inside dropped tags (an iframe's fallback
    # text); html_to_text drops those elements whole, so it reads the raw HTML.
    feed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    texts = [_entry_text(entry) for entry in feed.entries]
    if feed.bozo and not any(text.strip() for text in texts):
        raise MalformedInput(item, f"broken feed XML: {feed.get('bozo_exception')}")
    if not feed.entries:
        raise EmptyInput(item, "feed has no entries")
    source = feed.feed.get("title") or None
    for number, (entry, text) in enumerate(zip(feed.entries, texts), start=1):
        link = entry.get("link") or None
        origin = link or f"{item}#{number}"
        if not text.strip():
            yield Rejected(origin, "feed entry has no text (no content or summary)")
            continue
        yield build_article(
            text,
            origin=origin,
            options=options,
            source=source,
            url=link,
            title=_entry_title(entry),
            published=_entry_date(entry),
        )
