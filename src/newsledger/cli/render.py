"""Turning records into JSON lines and Rich tables for the terminal."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from newsledger.jsonable import to_jsonable

__all__ = ["print_json", "print_table", "console", "err_console"]

console = Console(soft_wrap=False)
err_console = Console(stderr=True, soft_wrap=True)


def print_json(value) -> None:
    """One JSON document on stdout (no Rich markup, safe to pipe)."""
    print(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def print_table(title: str, columns: list[str], rows: list[list], *, wrap: tuple[str, ...] = ()) -> None:
    """A Rich table; columns named in ``wrap`` fold long text, the others stay on one line."""
    table = Table(title=title, show_lines=bool(wrap), expand=bool(wrap))
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=name not in wrap, ratio=3 if name in wrap else None)
    for row in rows:
        table.add_row(*(_cell(v) for v in row), end_section=False)
    console.print(table)
    if not rows:
        console.print("(nothing found)")
