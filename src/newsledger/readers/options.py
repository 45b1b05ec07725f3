"""How sources are read: one options object travels through every reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsledger import settings

__all__ = ["FORMATS", "ReadOptions"]

FORMATS = ("auto", "text", "jsonl", "csv", "html", "rss")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Format choice, JSONL/CSV field mapping, size limits and the fetch deadline.

    The field defaults read ``corpus/ukraine-2022/articles.jsonl`` as it is.
    """

    format: str = "auto"  # auto | text | jsonl | csv | html | rss
    text_field: str = "text"
    date_field: str = "date"
    title_field: str = "title"
    url_field: str = "url"
    source_field: str = "source"
    max_bytes: int = settings.get("max_bytes")  # larger files/feeds are rejected
    max_article_chars: int = settings.get("max_article_chars")
    # the whole answer to one fetch of a URL, in seconds; read when the options are made
    fetch_seconds: float = field(default_factory=lambda: float(settings.get("fetch_seconds")))

    def __post_init__(self) -> None:
        # A wrong format is a usage error of the caller, not bad input.
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; expected one of {', '.join(FORMATS)}")
        if not self.fetch_seconds > 0:
            raise ValueError(f"fetch_seconds must be more than 0, not {self.fetch_seconds!r}")
