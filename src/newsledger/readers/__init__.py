"""Read articles from files, folders, JSONL, CSV, HTML and feeds.

    read_sources(paths, ReadOptions()) -> Article | Rejected, one per item

Each format has its own module (plaintext, jsonl, csvrows, htmlpage, feeds);
``sniffing`` picks one, ``decoding`` turns bytes into text or a rejection,
``boilerplate`` cleans texts and ``ids`` hashes them. Only the names below
are public.
"""

from __future__ import annotations

from newsledger.readers.boilerplate import clean_text
from newsledger.readers.ids import article_id
from newsledger.readers.options import FORMATS, ReadOptions
from newsledger.readers.sources import read_sources

__all__ = ["FORMATS", "ReadOptions", "article_id", "clean_text", "read_sources"]
