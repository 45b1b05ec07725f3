"""Turn a text and its metadata into an ``Article``, or say why not."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from newsledger.readers.boilerplate import clean_text
from newsledger.readers.dates import parse_date
from newsledger.readers.ids import article_id
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["build_article", "article_from_record", "field_value", "storable"]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` as every store can keep it: NUL characters dropped (PostgreSQL refuses them in
    text) and lone surrogates, which no encoding can write, as U+FFFD.

    Neither comes from decoded bytes (a NUL byte makes a file binary); both
    come from JSON escapes (``"\\u0000"``, ``"\\ud800"``), and either one failed the
    whole batch when it was written.
    """
    if _UNSTORABLE.search(text) is None:
        return text
    return _UNSTORABLE.sub(lambda match: "" if match[0] == "\x00" else "\ufffd", text)


def _metadata(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(storable(str(value)).split())
    return text or None


def build_article(
    text: str,
    *,
    origin: str,
    options: ReadOptions,
    source: object = None,
    url: object = None,
    title: object = None,
    published: date | None = None,
) -> Article | Rejected:
    """Clean the text, check it is neither empty nor too long, hash it."""
    text = storable(text)
    if not text.strip():
        return Rejected(origin, "empty: no text")
    cleaned = clean_text(text)
    if not cleaned.strip():
        return Rejected(origin, "empty after boilerplate removal")
    if len(cleaned) > options.max_article_chars:
        return Rejected(
            origin, f"text is {len(cleaned):,} characters, over max_article_chars ({options.max_article_chars:,})"
        )
    return Article(
        id=article_id(cleaned),
        text=cleaned,
        source=_metadata(source),
        url=_metadata(url),
        title=_metadata(title),
        published=published,
        origin=origin,
    )


def field_value(record: Mapping[str, object], field: str) -> object:
    """``record[field]``, else the key equal to it ignoring case and spaces."""
    if field in record:
        return record[field]
    wanted = field.strip().casefold()
    for key, value in record.items():
        if isinstance(key, str) and key.strip().casefold() == wanted:
            return value
    return None


def article_from_record(record: Mapping[str, object], origin: str, options: ReadOptions) -> Article | Rejected:
    """A JSON object or CSV row, read through the field mapping of ``options``."""
    text = field_value(record, options.text_field)
    if text is None:
        return Rejected(origin, f"no text: field {options.text_field!r} is missing")
    if not isinstance(text, str):
        return Rejected(origin, f"no text: field {options.text_field!r} holds {type(text).__name__}, not a string")
    if not text.strip():
        return Rejected(origin, f"no text: field {options.text_field!r} is empty")
    return build_article(
        text,
        origin=origin,
        options=options,
        source=field_value(record, options.source_field),
        url=field_value(record, options.url_field),
        title=field_value(record, options.title_field),
        published=parse_date(field_value(record, options.date_field)),
    )
