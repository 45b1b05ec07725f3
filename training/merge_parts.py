"""Merge annotated batches into ``training/events.jsonl``, keeping held-out text out of it.

    python training/merge_parts.py training/parts/batch-*.jsonl

Live blogs and re-crawled pages repeat whole passages of other articles. An
article sharing more than a fifth of its 8-word runs with an article of
``../shared/gold/dev.jsonl`` or ``tests/gold/heldout.jsonl`` is dropped (and
named), so the event model is never trained on text it is scored on; so is
one sharing as much with an article kept before it (a re-crawled page).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "training" / "events.jsonl"
RUN = 8
MAX_SHARED = 0.2


def _runs(text: str) -> set[str]:
    words = re.sub(r"\W+", " ", text.lower()).split()
    return {" ".join(words[i : i + RUN]) for i in range(max(1, len(words) - RUN + 1))}


def main(paths: list[str]) -> int:
    scored = {}
    for path in (SHARED / "gold" / "dev.jsonl", ROOT / "tests" / "gold" / "heldout.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                scored[record["id"]] = _runs(record["text"])
    kept = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            runs = _runs(record["text"])
            share, twin = max((len(runs & other) / len(runs), name) for name, other in scored.items())
            if share > MAX_SHARED:
                print(f"dropped {record['id']}: {share:.0%} of its text is in {twin}", file=sys.stderr)
                continue
            kept.append(record)
            scored[record["id"]] = runs  # a re-crawl of a kept article would count it twice
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(kept)} articles, {sum(len(r['events']) for r in kept)} events, "
          f"{sum(len(r['figures']) for r in kept)} figures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
