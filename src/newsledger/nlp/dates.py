"""Calendar arithmetic for resolving date expressions (internal).

Weekdays are numbered as ``date.weekday()`` numbers them: Monday 0 .. Sunday 6.
Values are returned as the ISO strings timexes carry: a day ``2022-02-24``,
a week ``2022-W08``, a month ``2022-02`` or a year ``2022``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = [
    "safe_date",
    "add_days",
    "add_months",
    "weekday_on_or_before",
    "weekday_on_or_after",
    "day_value",
    "week_value",
    "month_value",
    "year_value",
]


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when the numbers do not make one (31 February, year 0)."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def add_days(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) shifted by ``months`` (negative goes back)."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def weekday_on_or_before(day: date, weekday: int, *, strictly: bool = False) -> date:
    """The latest date with ``weekday`` on or before ``day`` (before it when ``strictly``)."""
    back = (day.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return day - timedelta(days=back)


def weekday_on_or_after(day: date, weekday: int, *, strictly: bool = False) -> date:
    """The earliest date with ``weekday`` on or after ``day`` (after it when ``strictly``)."""
    ahead = (weekday - day.weekday()) % 7
    if strictly and ahead == 0:
        ahead = 7
    return day + timedelta(days=ahead)


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def day_value(day: date) -> str:
    return day.isoformat()


def week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def year_value(year: int) -> str:
    return f"{year:04d}"
