"""Latency of `newsledger watch`: from a new feed entry to its figures being queryable.

    .venv/bin/python benchmarks/watch_latency.py [--rounds 5] [--db sqlite:///watch-bench.db]

Serves an RSS feed from 127.0.0.1 (with an ETag, as real feeds do), runs one
watch cycle over its first entries so that the model is loaded, then
``--rounds`` times adds one corpus article that states a figure and times a
cycle followed by the query that finds that article's figures. The polling
interval is left out: this is the time from the cycle's start, when a real
watcher would wake up, to the figure being there. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.server
import json
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
COUNT = re.compile(r"\b\d[\d,.]* (?:million )?(?:people|civilians|refugees) (?:have |had )?(?:been )?(?:killed|fled)\b")


class Feed:
    def __init__(self) -> None:
        self.entries: list[dict] = []
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                body = feed.document()
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.rss"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def document(self) -> bytes:
        items = "".join(
            f"<item><title>{html.escape(e.get('title') or 'untitled')}</title><guid>{i}</guid>"
            f"<link>https://example.org/{i}</link><description>{html.escape(e['text'])}</description></item>"
            for i, e in enumerate(self.entries)
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'.encode()


def _articles_with_figures(count: int, skip: int) -> list[dict]:
    """Corpus articles (after the first ``skip``) whose text names a count of people: one per round."""
    chosen = []
    with CORPUS.open(encoding="utf-8") as rows:
        for i, line in enumerate(rows):
            row = json.loads(line)
            if i >= skip and COUNT.search(row["text"]):
                chosen.append(row)
            if len(chosen) >= count:
                break
    return chosen


def main() -> None:
    import newsledger
    from newsledger.watch import Watcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default=None, help="store URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{Path(tmp) / 'watch.db'}"
        feed = Feed()
        articles = _articles_with_figures(args.rounds + 2, skip=100)
        feed.entries = articles[:2]
        watcher = Watcher([feed.url], db=db, every=60)
        warm_started = time.perf_counter()
        watcher.cycle()
        warm = time.perf_counter() - warm_started
        ledger = newsledger.open(db)
        rounds = []
        for article in articles[2:]:
            feed.entries.append(article)
            started = time.perf_counter()
            report = watcher.cycle()
            stored = [f for i in report.article_ids for f in ledger.figures(article=i)]
            rounds.append({"seconds": round(time.perf_counter() - started, 3), "new": report.new,
                           "figures": len(stored)})
        feed.server.shutdown()
    times = [r["seconds"] for r in rounds]
    print(json.dumps({
        "rounds": len(rounds),
        "first_cycle_with_model_load_s": round(warm, 2),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "every_round_found_its_figures": all(r["new"] == 1 and r["figures"] > 0 for r in rounds),
        "per_round": rounds,
    }, indent=2))



if __name__ == "__main__":
    main()
