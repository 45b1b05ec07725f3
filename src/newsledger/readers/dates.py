"""Lenient parsing of publication dates found in fields and feeds."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from newsledger import settings

__all__ = ["parse_date"]

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WEEKDAY_PREFIX = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_TIME_SUFFIX = re.compile(r"(?:,|\s+at)?\s+\d{1,2}[:.]\d{2}.*$", re.IGNORECASE)
_WRITTEN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y/%m/%d", "%Y%m%d")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """The calendar day a date string names, as written (no timezone shift); None if unreadable.

    Reads ISO dates and datetimes ("2022-02-20T10:00:00Z"), RFC 2822
    ("Sun, 20 Feb 2022 10:00:00 GMT"), written dates ("February 20, 2022",
    "20 Feb 2022") and numeric ones ("2/20/2022", day first if the
    ``day_first`` setting says so).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    raw = " ".join(value.split())
    if not raw or len(raw) > 80:
        return None
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        pass
    if iso := _ISO_DAY.match(raw):
        return _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
    try:
        return parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    written = _TIME_SUFFIX.sub("", _WEEKDAY_PREFIX.sub("", raw)).strip()
    if numeric := _NUMERIC_DAY.fullmatch(written):
        first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        day, month = (first, second) if settings.get("day_first") else (second, first)
        return _safe_date(year, month, day)
    for pattern in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    return None
