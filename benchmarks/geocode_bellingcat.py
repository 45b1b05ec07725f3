"""Geocode the Bellingcat civilian-harm incidents and measure the distance to the truth.

Reads ../shared/gold/external/bellingcat/dev.json (fields: id, location,
latitude, longitude; see its README.md), resolves each ``location`` with
``newsledger.places.geocode`` and prints one JSON object: count, resolved,
share within 10 km and 50 km (haversine; an unresolved place counts as a
miss), median error over the resolved, and time.

    .venv/bin/python benchmarks/geocode_bellingcat.py [--file PATH] [--misses]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from newsledger.places import geocode_many, load_gazetteer
from newsledger.places.gazetteer import haversine_km

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold" / "external" / "bellingcat" / "dev.json"


def score(incidents: list[dict]) -> tuple[dict, list[dict]]:
    """The benchmark's numbers, and one row per incident for inspection."""
    started = time.perf_counter()
    load_gazetteer()
    loaded = time.perf_counter()
    results = geocode_many([item["location"] for item in incidents])
    done = time.perf_counter()
    rows, errors = [], []
    for item, result in zip(incidents, results):
        place = result.place
        error = (
            haversine_km(item["latitude"], item["longitude"], place.latitude, place.longitude)
            if place is not None
            else None
        )
        if error is not None:
            errors.append(error)
        rows.append({"id": item["id"], "location": item["location"], "error_km": error,
                     "name": place.name if place else None, "reason": result.reason})
    count = len(incidents)
    summary = {
        "count": count,
        "resolved": len(errors),
        "within_10km": round(sum(e <= 10 for e in errors) / count, 4) if count else 0.0,
        "within_50km": round(sum(e <= 50 for e in errors) / count, 4) if count else 0.0,
        "median_error_km": round(statistics.median(errors), 2) if errors else None,
        "load_seconds": round(loaded - started, 3),
        "geocode_seconds": round(done - loaded, 3),
        "ms_per_text": round(1000 * (done - loaded) / count, 3) if count else None,
    }
    return summary, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="also list incidents off by more than 10 km (stderr)")
    args = parser.parse_args(argv)
    incidents = json.loads(args.file.read_text(encoding="utf-8"))
    summary, rows = score(incidents)
    if args.misses:
        for row in rows:
            if row["error_km"] is None or row["error_km"] > 10:
                print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
