"""End-to-end ingest of a corpus into one store, with memory sampled as the input grows.

    .venv/bin/python benchmarks/scale.py --db postgresql+psycopg://postgres@127.0.0.1:5432/NAME [--workers 2]

Runs ``newsledger.ingest`` (``--workers`` processes, the cross-source update
included) over the first ``--articles`` articles of
../shared/corpus/ukraine-2022/articles.jsonl (all 3,400 by default) into
``--db``, which should be new. A thread reads the resident memory of this
process and of each worker process from /proc twice a second (Linux). Prints
one JSON object: wall time, articles stored, rows per table, and the peak
resident memory of the writer process and of the largest worker, both over
the whole run and at each ``--every`` articles stored, so that memory growing
with the input shows up as a rising column.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from pathlib import Path

import sqlalchemy as sa

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class Sampler(threading.Thread):
    """Peak RSS of this process and of its largest child, sampled every ``interval`` seconds."""

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.writer_peak = 0.0
        self.worker_peak = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.is_set():
            self.writer_peak = max(self.writer_peak, _rss_mb(me))
            for child in _children(me):
                self.worker_peak = max(self.worker_peak, _rss_mb(child))
            time.sleep(self.interval)


def main() -> None:
    import newsledger
    from newsledger.store import open_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a new store")
    parser.add_argument("--articles", type=int, default=3400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=500, help="record memory each time this many more are stored")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    source = Path(os.environ.get("TMPDIR", "/tmp")) / f"newsledger-scale-{os.getpid()}.jsonl"
    with args.corpus.open(encoding="utf-8") as rows, source.open("w", encoding="utf-8") as out:
        for i, line in enumerate(rows):
            if i >= args.articles:
                break
            out.write(line)
    sampler = Sampler()
    sampler.start()
    milestones: list[dict] = []
    stored = 0
    started = time.perf_counter()

    def on_progress(event: str, item: object) -> None:
        nonlocal stored
        if event == "ingested":
            stored += 1
            if stored % args.every == 0:
                milestones.append({
                    "stored": stored, "seconds": round(time.perf_counter() - started, 1),
                    "writer_peak_mb": round(sampler.writer_peak, 1), "worker_peak_mb": round(sampler.worker_peak, 1),
                })

    try:
        report = newsledger.ingest([source], db=args.db, workers=args.workers, on_progress=on_progress)
    finally:
        source.unlink(missing_ok=True)
    wall = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    engine = open_engine(args.db)
    tables = ("articles", "figures", "quotes", "timexes", "events", "entities", "mentions", "quote_groups",
              "event_clusters", "figure_flags", "duplicate_clusters")
    with engine.connect() as connection:
        rows = {t: connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
    print(json.dumps({
        "db": engine.dialect.name,
        "articles_read": args.articles,
        "workers": args.workers,
        "ingested": report.ingested,
        "duplicates": report.duplicates,
        "rejected": len(report.rejected),
        "wall_s": round(wall, 1),
        "docs_per_s": round(report.ingested / wall, 2),
        "rows": rows,
        "writer_peak_rss_mb": round(sampler.writer_peak, 1),
        "worker_peak_rss_mb": round(sampler.worker_peak, 1),
        "memory_as_input_grows": milestones,
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }, indent=2))


if __name__ == "__main__":
    main()
