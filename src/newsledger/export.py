"""Export the store as JSON lines or CSV."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from newsledger.jsonable import to_jsonable
from newsledger.ledger import Ledger

__all__ = ["export_records", "TABLES"]

TABLES = ("articles", "figures", "quotes", "timexes", "events")


def _records(ledger: Ledger, what: str):
    if what == "figures":
        return ledger.figures()
    if what == "quotes":
        return ledger.quotes()
    if what == "timexes":
        return ledger.timexes()
    if what == "events":
        return ledger.events()
    raise ValueError(f"unknown table {what!r}; choose one of {', '.join(TABLES)}")


def export_records(ledger: Ledger, stream: TextIO, *, what: str = "articles", format: str = "jsonl") -> int:
    """Write ``what`` to ``stream``; returns how many rows were written.

    ``geojson`` writes the resolved places with their figures and events, whatever ``what`` is.
    ``articles`` as JSON lines writes each article with all its extractions;
    as CSV it writes the article list. The other tables write one row per record,
    with the outlet of its article.
    """
    if format == "geojson":
        stream.write(json.dumps(ledger.geojson(), ensure_ascii=False) + "\n")
        return len(ledger.places())
    if format not in ("jsonl", "csv"):
        raise ValueError(f"unknown format {format!r}; choose jsonl, csv or geojson")
    if what == "articles":
        infos = ledger.articles()
        if format == "jsonl":
            for info in infos:
                stream.write(json.dumps(to_jsonable(ledger.article(info.id)), ensure_ascii=False) + "\n")
            return len(infos)
        rows = [to_jsonable(info) for info in infos]
        for row in rows:
            inferred = row.pop("published_inferred")
            row["published_inferred"] = inferred["date"] if inferred else None
    else:
        records = _records(ledger, what)
        outlets = ledger.outlets(r.article_id for r in records)
        rows = [{**to_jsonable(r), "outlet": outlets.get(r.article_id)} for r in records]
        if format == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            return len(rows)
    if rows:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return len(rows)
