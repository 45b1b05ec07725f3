"""Draw the articles of the events training set (``training/events.jsonl``).

The training set must share no article with ``../shared/gold/dev.jsonl`` or
``tests/gold/heldout.jsonl``: the trained event model is judged on both. A
later draw also leaves out the articles drawn before it (``training/``).
Candidates are corpus articles of 1,200-4,500 characters (gdelt files
1,200-6,000), shuffled with ``random.Random(SEED)`` (20221205 for batches 1-6, 20221206 for 7-12) and taken in that
order with at most ``PER_OUTLET`` per outlet and ``PER_WEEK`` per ISO week.

    python training/select_articles.py OUT_DIR [--batches 6] [--size 15] [--seed N] [--first K]

writes ``OUT_DIR/batch-K.jsonl`` (K from ``--first``): records with ``id``, ``published``,
``published_window`` (null) and ``text``, ready to annotate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TRAINING = (ROOT / "training" / "events.jsonl", *sorted((ROOT / "training" / "parts").glob("*.jsonl")))
PER_OUTLET = 12
PER_WEEK = 10


def taken_ids() -> set[str]:
    """Articles already in a gold file: dev, held-out, and the training set drawn so far."""
    ids = set()
    for path in (SHARED / "gold" / "dev.jsonl", ROOT / "tests" / "gold" / "heldout.jsonl", *TRAINING):
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as lines:
            ids.update(json.loads(line)["id"] for line in lines if line.strip())
    return ids


def corpus_candidates(taken: set[str]) -> list[dict]:
    path = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
    found = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            record = json.loads(line)
            article_id = f"ukr22:{number}"
            if article_id in taken or not 1200 <= len(record["text"]) <= 4500:
                continue
            found.append({"id": article_id, "outlet": record["source"], "published": record["date"], "text": record["text"]})
    return found


def gdelt_candidates(taken: set[str]) -> list[dict]:
    found = []
    for path in sorted((SHARED / "corpus" / "gdelt-2022").glob("*.txt")):
        article_id = f"gdelt:{path.stem}"
        text = path.read_text(encoding="utf-8", errors="replace")
        if article_id in taken or not 1200 <= len(text) <= 6000:
            continue
        found.append({"id": article_id, "outlet": path.stem.split("_")[1], "published": None, "text": text})
    return found


def draw(candidates: list[dict], count: int, rng: random.Random) -> list[dict]:
    rng.shuffle(candidates)
    per_outlet: dict[str, int] = {}
    per_week: dict[str, int] = {}
    chosen = []
    for article in candidates:
        week = "undated"
        if article["published"]:
            year, number, _ = dt.date.fromisoformat(article["published"]).isocalendar()
            week = f"{year}-W{number:02d}"
        if per_outlet.get(article["outlet"], 0) >= PER_OUTLET or (week != "undated" and per_week.get(week, 0) >= PER_WEEK):
            continue
        per_outlet[article["outlet"]] = per_outlet.get(article["outlet"], 0) + 1
        per_week[week] = per_week.get(week, 0) + 1
        chosen.append(article)
        if len(chosen) == count:
            break
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--size", type=int, default=15)
    parser.add_argument("--seed", type=int, default=20221205)
    parser.add_argument("--first", type=int, default=1, help="number of the first batch file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    taken = taken_ids()
    total = args.batches * args.size
    gdelt = draw(gdelt_candidates(taken), total // 5, rng)
    articles = draw(corpus_candidates(taken), total - len(gdelt), rng) + gdelt
    rng.shuffle(articles)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for batch in range(args.batches):
        path = args.out_dir / f"batch-{batch + args.first}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for article in articles[batch * args.size:(batch + 1) * args.size]:
                record = {"id": article["id"], "published": article["published"], "published_window": None, "text": article["text"]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(path)


if __name__ == "__main__":
    main()
