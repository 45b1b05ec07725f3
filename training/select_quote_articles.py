"""Draw the articles of the quotes development set (``training/quotes.jsonl``).

Speaker and quote rules are written against ``../shared/gold/dev.jsonl`` and
this set, and judged on ``tests/gold/heldout.jsonl``, which no rule is written
against. The articles are a random draw from the events training set
(``training/events.jsonl``), so they share nothing with dev or held-out:

    python training/select_quote_articles.py OUT_DIR [--batches 4] [--size 10] [--seed 20221207]

writes ``OUT_DIR/batch-K.jsonl``: records with ``id``, ``published``,
``published_window``, ``layers: ["quotes"]``, ``text`` and an empty ``quotes``
list, ready to annotate blind against SPEC.md section 3.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20221207)
    args = parser.parse_args()
    with (ROOT / "training" / "events.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    drawn = random.Random(args.seed).sample(articles, args.batches * args.size)
    args.out.mkdir(parents=True, exist_ok=True)
    for batch in range(args.batches):
        with (args.out / f"batch-{batch + 1}.jsonl").open("w", encoding="utf-8") as out:
            for article in drawn[batch * args.size : (batch + 1) * args.size]:
                record = {key: article[key] for key in ("id", "source", "url", "title", "published", "published_window")}
                record.update(layers=["quotes"], text=article["text"], quotes=[])
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
