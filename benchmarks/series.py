"""The figure series an analyst follows, rebuilt from the whole corpus and checked against the real world.

    .venv/bin/python benchmarks/series.py [--db sqlite:///corpus.db] [--workers 2] [--plot-dir DIR]

Ingests ../shared/corpus/ukraine-2022/articles.jsonl (3,400 articles) into
``--db`` unless that store already holds them (then it only reads), and for
each series below prints the source's line: its points, the days it has a
value for (and how many of March and April 2022), and the claimant names as
written that were folded into it. For the refugee series it checks the
line against the UN refugee agency's published milestones: a milestone is
matched when the line has a day within two days of the milestone's date
whose value is within 25% of it. With ``--plot-dir`` each series is also
drawn with ``newsledger series --plot``'s code. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import newsledger
from newsledger.crossdoc.plot import plot_series

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"

# (name, metric, filters): what `newsledger series METRIC --OPTION VALUE ...` is asked.
SERIES = [
    ("refugees who fled Ukraine, UNHCR", "fled", {"claimant": "refugee agency"}),
    ("civilians killed, OHCHR", "killed", {"population": "civilians", "claimant": "human rights"}),
    ("civilians injured, OHCHR", "injured", {"population": "civilians", "claimant": "human rights"}),
    ("internally displaced, IOM", "displaced", {"claimant": "IOM"}),
    ("Russian soldiers killed, Ukraine's General Staff", "killed",
     {"side": "russian", "population": "soldiers", "claimant": "General Staff"}),
    ("Russian soldiers killed, Russian Defence Ministry", "killed",
     {"side": "russian", "population": "soldiers", "claimant": "Russian Defence Ministry"}),
]

# The UN refugee agency's count of refugees from Ukraine passing each million, as announced.
MILESTONES = [
    (1_000_000, "2022-03-03", "Filippo Grandi on Twitter, 'In just seven days we have witnessed the exodus of one million refugees' (EFE, Ukrinform, 3 March 2022)"),
    (2_000_000, "2022-03-08", "Grandi on Twitter, 'Today the outflow of refugees from Ukraine reaches two million people' (Reuters, Oslo, 8 March 2022)"),
    (3_000_000, "2022-03-15", "Grandi, 'Today we have passed another terrible milestone: three million refugees' (AFP, 15 March 2022; UNHCR portal 3,000,381)"),
    (4_000_000, "2022-03-30", "Grandi on Twitter, 'Refugees from Ukraine are now 4 million' (30 March 2022; UNHCR portal 4,019,287)"),
    (5_000_000, "2022-04-20", "UNHCR data portal, 5,010,971 refugees (Reuters, AP, 20 April 2022)"),
]
DAYS_WINDOW = 2
RELATIVE_ERROR = 0.25


def match_milestones(days: list[tuple[str, int]]) -> list[dict]:
    """For each milestone, the line's day nearest its date (within the window) whose value is within the error."""
    result = []
    for value, day, source in MILESTONES:
        when = date.fromisoformat(day)
        near = [(abs((date.fromisoformat(d) - when).days), abs(v - value) / value, d, v) for d, v in days
                if abs((date.fromisoformat(d) - when).days) <= DAYS_WINDOW]
        good = sorted(n for n in near if n[1] <= RELATIVE_ERROR)
        best = good[0] if good else None
        result.append({
            "milestone": value, "date": day, "source": source,
            "matched": best is not None,
            "day": best[2] if best else None, "value": best[3] if best else None,
            "error": round(best[1], 3) if best else None,
            "days_near": [[d, v] for _, _, d, v in sorted(near, key=lambda n: n[2])],
        })
    return result


def _in_march_april(day: str) -> bool:
    return "2022-03-01" <= day <= "2022-04-30"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="store to read, or to ingest the corpus into when it is new (default: a temporary SQLite file)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plot-dir", type=Path)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="newsledger-series-")
    db = args.db or f"sqlite:///{workdir}/corpus.db"
    ingest_seconds = None
    ledger = newsledger.open(db)
    if not ledger.counts()["articles"]:
        started = time.perf_counter()
        newsledger.ingest([str(CORPUS)], db=db, workers=args.workers)
        ingest_seconds = round(time.perf_counter() - started, 1)
    march_april = 61
    out = {"db": db, "ingest_seconds": ingest_seconds, "articles": ledger.counts()["articles"], "series": []}
    for name, metric, filters in SERIES:
        found = ledger.series(metric, **filters)
        entry = {"name": name, "command": f"newsledger series {metric} " + " ".join(f"--{k} {v!r}" for k, v in filters.items())}
        if found and found[0].lines:
            series = found[0]
            line = series.lines[0]
            days = [d for d, _ in line.days]
            entry.update(
                series=series.key, claimant=line.claimant, points=len(line.points), reports=line.reports,
                days=len(days), days_march_april=sum(map(_in_march_april, days)), days_march_april_of=march_april,
                first=days[0] if days else None, last=days[-1] if days else None,
                names=[n for n, _ in line.names], other_lines=[other.claimant for other in series.lines[1:]],
            )
            if metric == "fled":
                matches = match_milestones(list(line.days))
                entry["milestones"] = matches
                entry["milestones_matched"] = sum(m["matched"] for m in matches)
            if args.plot_dir:
                args.plot_dir.mkdir(parents=True, exist_ok=True)
                png = args.plot_dir / f"series-{metric}-{line.key.replace(' ', '-')}.png"
                plot_series([series], png)
                entry["plot"] = str(png)
        out["series"].append(entry)
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
