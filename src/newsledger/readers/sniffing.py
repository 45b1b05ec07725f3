"""Which reader a source needs: by file extension, then by content."""

from __future__ import annotations

import csv

__all__ = ["EXTENSION_FORMATS", "sniff_format"]

EXTENSION_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",
}
_HEAD_CHARS = 2048
_CSV_DELIMITERS = ",;\t|"


def _csv_header_has(first_line: str, field: str) -> bool:
    wanted = field.strip().casefold()
    for delimiter in _CSV_DELIMITERS:
        if delimiter not in first_line:
            continue
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        if any(cell.strip().casefold() == wanted for cell in cells):
            return True
    return False


def sniff_format(suffix: str, text: str, text_field: str = "text") -> str:
    """``text``, ``jsonl``, ``csv``, ``html`` or ``rss`` for a decoded source.

    ``suffix`` is the file extension (".csv") or "" when there is none.
    """
    by_extension = EXTENSION_FORMATS.get(suffix.lower())
    if by_extension:
        return by_extension
    head = text[:_HEAD_CHARS].lstrip("\ufeff \t\n")
    lowered = head.lower()
    if head.startswith(("{", "[")):
        return "jsonl"
    if lowered.startswith(("<rss", "<feed", "<rdf:rdf")):
        return "rss"
    if lowered.startswith("<?xml"):
        return "html" if "<html" in lowered and "<rss" not in lowered and "<feed" not in lowered else "rss"
    if lowered.startswith(("<html", "<!doctype", "<head", "<body")):
        return "html"
    first_line = head.split("\n", 1)[0]
    if _csv_header_has(first_line, text_field):
        return "csv"
    return "text"
