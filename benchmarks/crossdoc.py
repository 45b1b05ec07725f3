"""Runtime and memory of the cross-source step over a whole store.

    python benchmarks/crossdoc.py --db sqlite:///corpus.db

Rebuilds duplicates, statements, event clusters and figure flags from scratch
on a store that already holds the articles (e.g. after
`newsledger ingest ../shared/corpus/ukraine-2022/articles.jsonl --db ...`),
then times an incremental update with nothing new. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from newsledger import crossdoc
from newsledger.ledger import Ledger
from newsledger.store import open_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of an ingested store")
    args = parser.parse_args()
    engine = open_engine(args.db)
    ledger = Ledger(engine)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    report = crossdoc.rebuild(engine)
    rebuild_s = time.perf_counter() - started
    started = time.perf_counter()
    crossdoc.update(engine)
    noop_s = time.perf_counter() - started
    counts = ledger.counts()
    print(json.dumps({
        "articles": counts["articles"],
        "figures": counts["figures"],
        "quotes": counts["quotes"],
        "events": counts["events"],
        "rebuild_seconds": round(rebuild_s, 2),
        "update_with_nothing_new_seconds": round(noop_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(rss_before, 1),
        "duplicate_clusters": len(ledger.duplicates()),
        "statement_groups_changed": report.quote_groups,
        "event_clusters_changed": report.event_clusters,
        "flags": report.flags,
    }, indent=2))


if __name__ == "__main__":
    main()
