"""Extraction snapshot: every record newsledger extracts from corpus articles, to compare two versions.

    .venv/bin/python benchmarks/snapshot.py OUT.jsonl [--articles N] [--skip K] [--workers 2]
    .venv/bin/python benchmarks/snapshot.py --compare A.jsonl B.jsonl

The first form runs the pipeline over N articles of
../shared/corpus/ukraine-2022/articles.jsonl (all by default) and writes one
JSON line per article: its id and its figures, quotes, timexes, events,
entities and inferred publication date, each record as a dict. It prints one
JSON object: articles, records per layer, seconds. The second form compares
two snapshots article by article and prints the number of articles whose
records differ, per layer, with the first few ids: a refactoring that must
not change behaviour leaves every count at 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
LAYERS = ("figures", "quotes", "timexes", "events", "entities", "published_inferred")


def _record(value):
    if value is None:
        return None
    if dataclasses.is_dataclass(value):
        return {k: _record(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [_record(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_snapshot(out: Path, articles: int | None, skip: int, workers: int) -> dict:
    from newsledger.models import Article
    from newsledger.readers import read_sources
    from newsledger.runner import run_pipeline

    items = [a for a in read_sources([str(CORPUS)]) if isinstance(a, Article)]
    items = items[skip : skip + articles if articles else None]
    counts = dict.fromkeys(LAYERS, 0)
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as lines:
        for extraction in run_pipeline(items, workers=workers):
            if not hasattr(extraction, "article"):
                continue  # a rejected article
            row = {"id": extraction.article.id}
            for layer in LAYERS:
                row[layer] = _record(getattr(extraction, layer))
                counts[layer] += len(row[layer]) if isinstance(row[layer], list) else row[layer] is not None
            lines.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return {"articles": len(items), "records": counts, "seconds": round(time.perf_counter() - started, 1)}


def compare(a: Path, b: Path) -> dict:
    def load(path: Path) -> dict:
        with path.open(encoding="utf-8") as lines:
            return {row["id"]: row for row in map(json.loads, lines)}

    left, right = load(a), load(b)
    report = {"articles": len(left), "only_in_one": sorted(set(left) ^ set(right))[:5], "differ": {}}
    for layer in LAYERS:
        differing = [i for i in left if i in right and left[i].get(layer) != right[i].get(layer)]
        report["differ"][layer] = {"articles": len(differing), "first": differing[:5]}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        report = compare(*args.compare)
    elif args.out is not None:
        report = write_snapshot(args.out, args.articles, args.skip, args.workers)
    else:
        parser.error("give OUT.jsonl or --compare A B")
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
