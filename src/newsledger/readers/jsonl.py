"""JSON Lines, and .json files holding one object or an array of objects."""

from __future__ import annotations

import json
from collections.abc import Iterator

from newsledger.errors import MalformedInput
from newsledger.readers.articles import article_from_record
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["read_json"]


def _loads(origin: str, text: str, where: str) -> object:
    """``json.loads``, with each way it fails on hostile text a ``MalformedInput`` saying why.

    Besides broken syntax (``JSONDecodeError``) it raises ``RecursionError``
    past about 1,000 levels of nesting and a plain ``ValueError`` for a
    number of over 4,300 digits; either once escaped the line it was on and
    lost the rest of the file.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}" if where == "document" else f"column {exc.colno}"
        raise MalformedInput(origin, f"invalid JSON: {exc.msg} at {at}") from None
    except RecursionError:
        raise MalformedInput(origin, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion ..."
        raise MalformedInput(origin, f"invalid JSON: {str(exc).split(';')[0]}") from None


def _first_line_is_object(text: str) -> bool:
    for line in text.split("\n"):
        if line.strip():
            try:
                return isinstance(_loads("", line, "line"), dict)
            except MalformedInput:
                return False
    return False


def _read_lines(item: str, text: str, options: ReadOptions) -> Iterator[Article | Rejected]:
    # Split on "\n" only: U+2028 and friends may sit inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{item}:{number}"
        try:
            record = _loads(origin, line, "line")
        except MalformedInput as exc:
            yield Rejected(origin, exc.reason)
            continue
        if not isinstance(record, dict):
            yield Rejected(origin, f"not a JSON object but {type(record).__name__}")
            continue
        yield article_from_record(record, origin, options)


def _read_document(item: str, document: object, options: ReadOptions) -> Iterator[Article | Rejected]:
    if isinstance(document, dict):
        yield article_from_record(document, item, options)
        return
    if not isinstance(document, list):
        raise MalformedInput(item, f"JSON holds a {type(document).__name__}, not an object or an array of objects")
    if not document:
        raise MalformedInput(item, "JSON holds an empty array")
    for index, record in enumerate(document):
        origin = f"{item}[{index}]"
        if isinstance(record, dict):
            yield article_from_record(record, origin, options)
        else:
            yield Rejected(origin, f"not a JSON object but {type(record).__name__}")


def read_json(item: str, text: str, options: ReadOptions, *, lines: bool = False) -> Iterator[Article | Rejected]:
    """One article per line when ``lines``; else the whole text as one JSON
    document if it parses, falling back to lines when the first line is an object."""
    if lines:
        yield from _read_lines(item, text, options)
        return
    try:
        document = _loads(item, text, "document")
    except MalformedInput:
        if not _first_line_is_object(text):
            raise
        yield from _read_lines(item, text, options)
        return
    yield from _read_document(item, document, options)
