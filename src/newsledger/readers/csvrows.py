"""CSV files: a header row, then one article per row (csv module); the delimiter is
the one that finds the text column in the header."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from newsledger.errors import EmptyInput, MalformedInput
from newsledger.readers.articles import article_from_record
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["read_csv"]

_DELIMITERS = ",;\t|"


_DIALECTS = {d: type(f"excel_delimited_by_{ord(d)}", (csv.excel,), {"delimiter": d}) for d in _DELIMITERS}


def _header_index(header: list[str], field: str) -> int | None:
    wanted = field.strip().casefold()
    for index, name in enumerate(header):
        if name.strip().lstrip("\ufeff").casefold() == wanted:
            return index
    return None


def _candidate_dialects(tab_separated: bool) -> list[type[csv.Dialect]]:
    """One dialect per delimiter, tab first for a .tsv file; the header row decides.

    No ``csv.Sniffer``: its quote-guessing regular expressions backtrack, so
    64 KB of quotes and commas (``"a,"b,"c`` lines) took it over a minute.
    """
    order = "\t,;|" if tab_separated else _DELIMITERS
    return [_DIALECTS[delimiter] for delimiter in order]


def _header(text: str, dialect) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text, newline=""), dialect), [])
    except csv.Error:
        return []


def read_csv(item: str, text: str, options: ReadOptions, *, tab_separated: bool = False) -> Iterator[Article | Rejected]:
    """Rejects the whole file when no column is named ``options.text_field``."""
    # Article texts can be longer than the csv module's default field limit.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    header: list[str] = []
    dialect = None
    for candidate in _candidate_dialects(tab_separated):
        candidate_header = _header(text, candidate)
        if len(candidate_header) > len(header):
            header = candidate_header
        if _header_index(candidate_header, options.text_field) is not None:
            header, dialect = candidate_header, candidate
            break
    if not any(name.strip() for name in header):
        raise EmptyInput(item, "CSV has no header row")
    if dialect is None:
        columns = ", ".join(repr(name) for name in header[:20])
        raise MalformedInput(item, f"CSV has no {options.text_field!r} column (columns: {columns})")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    next(reader)
    rows = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            if not rows:
                raise EmptyInput(item, "CSV has a header but no rows") from None
            return
        except csv.Error as exc:
            yield Rejected(f"{item}:{line}", f"malformed CSV: {exc}; the rest of the file is skipped")
            return
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        yield article_from_record(dict(zip(header, row)), f"{item}:{line}", options)
