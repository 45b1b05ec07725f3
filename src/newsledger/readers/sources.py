"""Walk paths and URLs, pick a reader for each, never raise for bad input."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from newsledger.errors import EmptyInput, InputError, TooLarge
from newsledger.readers.csvrows import read_csv
from newsledger.readers.decoding import decode_bytes
from newsledger.readers.feeds import read_feed
from newsledger.readers.fetching import check_url, fetch
from newsledger.readers.htmlpage import read_html
from newsledger.readers.jsonl import read_json
from newsledger.readers.options import ReadOptions
from newsledger.readers.plaintext import read_text
from newsledger.readers.sniffing import sniff_format
from newsledger.models import Article, Rejected

__all__ = ["is_url", "read_bytes", "read_sources", "walk", "UNEXPECTED"]

UNEXPECTED = "unexpected error while reading"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_LINE_FORMATS = {".jsonl", ".ndjson"}


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read: {exc.strerror or exc}"


def _guarded(item: str, articles: Iterator[Article | Rejected]) -> Iterator[Article | Rejected]:
    """Turn an ``InputError`` into a ``Rejected`` and go on with the next item."""
    try:
        yield from articles
    except InputError as exc:
        yield Rejected(exc.item, exc.reason)
    except OSError as exc:
        yield Rejected(item, _os_reason(exc))
    except Exception as exc:  # noqa: BLE001 - parsers of hostile input fail in many ways; report, go on
        yield Rejected(item, f"{UNEXPECTED}: {type(exc).__name__}: {exc}")


def _read_content(item: str, data: bytes, suffix: str, options: ReadOptions) -> Iterator[Article | Rejected]:
    text = decode_bytes(item, data)
    if not text.strip():
        raise EmptyInput(item, "empty: nothing but whitespace")
    kind = options.format if options.format != "auto" else sniff_format(suffix, text, options.text_field)
    if kind == "jsonl":
        yield from read_json(item, text, options, lines=suffix.lower() in _LINE_FORMATS)
    elif kind == "csv":
        yield from read_csv(item, text, options, tab_separated=suffix.lower() == ".tsv")
    elif kind == "html":
        yield from read_html(item, text, options, page_url=item if _URL.match(item) else None)
    elif kind == "rss":
        yield from read_feed(item, data, options)
    else:
        yield from read_text(item, text, options)


def read_bytes(item: str, data: bytes, suffix: str, options: ReadOptions) -> Iterator[Article | Rejected]:
    """The articles in ``data`` read from ``item`` (a file or URL), bad input as ``Rejected``."""
    return _guarded(item, _read_content(item, data, suffix, options))


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and bool(_URL.match(source))


def _read_file(path: Path, options: ReadOptions) -> Iterator[Article | Rejected]:
    item = str(path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputError(item, "not a regular file")
    if info.st_size > options.max_bytes:
        raise TooLarge(item, f"{info.st_size:,} bytes, over max_bytes ({options.max_bytes:,})")
    if info.st_size == 0:
        raise EmptyInput(item, "empty file")
    with path.open("rb") as handle:
        data = handle.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:  # it grew since stat()
        raise TooLarge(item, f"over max_bytes ({options.max_bytes:,})")
    yield from _read_content(item, data, path.suffix, options)


def _read_url(url: str, options: ReadOptions) -> Iterator[Article | Rejected]:
    check_url(url)
    data = fetch(url, options)
    yield from _read_content(url, data, Path(urlsplit(url).path).suffix, options)


def walk(directory: Path) -> Iterator[Path | Rejected]:
    """Files under ``directory``, sorted, hidden ones and symlinked folders skipped."""
    try:
        children = sorted(directory.iterdir(), key=lambda child: child.name)
    except OSError as exc:
        yield Rejected(str(directory), f"cannot list directory: {_os_reason(exc)}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if not child.is_symlink():
                yield from walk(child)
        else:
            yield child


def read_sources(paths: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Article | Rejected]:
    """Walk directories (sorted, skipping hidden files), sniff formats, yield one
    ``Article`` per article or one ``Rejected(item, reason)`` per bad item;
    never raise for bad input. ``options`` default to ``ReadOptions()`` made now,
    so that the settings in the environment count."""
    options = options or ReadOptions()
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path, not the characters of one
    for source in paths:
        if is_url(source):
            yield from _guarded(source, _read_url(source, options))
            continue
        path = Path(source)
        if path.is_dir():
            for entry in walk(path):
                if isinstance(entry, Rejected):
                    yield entry
                else:
                    yield from _guarded(str(entry), _read_file(entry, options))
        else:
            yield from _guarded(str(path), _read_file(path, options))
