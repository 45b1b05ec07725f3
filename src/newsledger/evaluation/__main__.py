"""python -m newsledger.evaluation GOLD.jsonl [--table] [--details] [--model NAME]"""

from __future__ import annotations

import argparse
import json
import sys

from newsledger.errors import NewsledgerError
from newsledger.evaluation import evaluate, format_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsledger.evaluation", description="Score the pipeline on a gold file.")
    parser.add_argument("gold", help="gold JSONL file (SPEC.md section 6)")
    parser.add_argument("--table", action="store_true", help="print a readable table instead of JSON")
    parser.add_argument("--details", action="store_true", help="add per-article misses and false alarms")
    parser.add_argument("--model", default=None, help="spaCy pipeline to run (default: the 'model' setting)")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.gold, model=args.model, details=args.details)
    except NewsledgerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_table(report) if args.table else json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
