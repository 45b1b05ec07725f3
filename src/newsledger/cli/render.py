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
    """A Rich table. Short columns (ids, dates, numbers) stay on one line; columns
    named in ``wrap`` (long text) get most of the room left; the rest fold."""
    cells = [[_cell(v) for v in row] for row in rows]
    table = Table(title=title, show_lines=bool(wrap))
    for i, name in enumerate(columns):
        widest = max([len(name)] + [len(row[i]) for row in cells])
        if name in wrap:
            table.add_column(name, overflow="fold", min_width=24)
        elif widest <= 12:
            table.add_column(name, no_wrap=True, min_width=widest)
        else:
            table.add_column(name, overflow="fold", min_width=10, max_width=24)
    for row in cells:
        table.add_row(*row)
    console.print(table)
    if not rows:
        console.print("(nothing found)")
