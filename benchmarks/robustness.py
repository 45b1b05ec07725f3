"""Robustness: hostile input, killed ingests, overlapping ingests and a web load test during an ingest.

    .venv/bin/python benchmarks/robustness.py [--kill-rounds 5] [--load-seconds 60]

Prints one JSON object. Every figure comes from this run:

- ``inputs``: a hand-made corpus of nasty files (random bytes, empty files, a
  50 MB file, a 12 MB JSONL streamed row by row, invalid UTF-8, NUL bytes,
  nested and truncated JSON, ragged CSV with a giant field, hostile HTML,
  broken and entity-bomb feeds, unbalanced quotes, a 100,000-word article,
  numbers only) plus seeded random mutations of real articles. Each is
  ingested by ``newsledger ingest FILE --json`` in its own process into one
  store: ``accepted`` and ``rejected`` (each rejection must carry a reason)
  per category; a ``crash`` is an exit other than 0 or output that is not the
  report; a ``hang`` is a run over ``HANG_SECONDS``. ``rows_lost`` counts
  articles stored earlier that a later input made disappear.
- ``kill``: an ingest of a corpus slice killed with SIGKILL ``kill_rounds``
  times, each time after a seeded random number of further articles is
  stored plus a random fraction of a second, then run to the end; its rows are compared
  table by table with a clean ingest of the same slice (``rows_lost``,
  ``rows_duplicated``) and SQLite's integrity check.
- ``overlap``: two ingests of overlapping slices started at once into one
  new store, compared the same way with a clean ingest of their union.
- ``load``: ``newsledger serve`` on the killed-and-resumed store answers
  requests from 4 threads for as long as an ingest of further articles writes
  to it (at most ``--load-seconds`` and ``--load-requests``); requests served,
  errors (any status but 200) and p95 latency.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
HANG_SECONDS = 600
EXTRACTION_TABLES = ("articles", "figures", "quotes", "timexes", "events", "entities", "mentions")
LOAD_PATHS = ["/api/articles", "/api/figures", "/api/quotes", "/api/speakers", "/api/timeline", "/api/entities",
              "/api/search?q=Kyiv", "/"]


# --- the nasty corpus -------------------------------------------------------------


def _corpus_texts(count: int, skip: int = 0) -> list[dict]:
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i >= skip:
                rows.append(json.loads(line))
            if len(rows) >= count:
                break
    return rows


def _nasty_inputs(folder: Path, rng: random.Random, fuzz: int) -> list[tuple[str, Path]]:
    """(category, file) pairs written under ``folder``."""
    real = _corpus_texts(3)
    sample = real[0]["text"]
    made: list[tuple[str, Path]] = []

    def write(category: str, name: str, data: bytes | str) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        made.append((category, path))

    for suffix in ("txt", "jsonl", "csv", "html", "xml", "json"):
        write("random_bytes", f"random.{suffix}", rng.randbytes(rng.randint(1, 200_000)))
    write("empty", "empty.txt", b"")
    write("empty", "blank.txt", b" \n\t\n ")
    write("empty", "empty.jsonl", b"")
    write("empty", "empty-rows.jsonl", b"{}\n[]\n\"\"\n")
    with (folder / "fifty-mb.txt").open("wb") as handle:  # over max_bytes (20 MB): refused before reading
        for _ in range(50):
            handle.write((b"Shelling continued overnight. " * 35_000)[: 1 << 20])
    made.append(("oversize", folder / "fifty-mb.txt"))
    rows = [json.dumps({"text": "word " * 260_000, "title": f"too long {i}"}) for i in range(9)]  # 1.3 MB each
    rows[3:3] = [json.dumps({"text": real[1]["text"], "date": real[1].get("date")})]
    write("large_streamed", "twelve-mb.jsonl", "\n".join(rows) + "\n")
    write("invalid_utf8", "bad-utf8.txt", sample[:2000].encode() + b"\xff\xfe\xc3\x28" + sample[2000:4000].encode())
    write("invalid_utf8", "latin1.txt", ("Caf\u00e9 owners in Kyiv said " + sample[:3000]).encode("latin-1", "replace"))
    write("invalid_utf8", "mixed.txt", sample[:1500].encode("utf-8") + "\u2019s r\u00e9sum\u00e9".encode("cp1252") + sample[1500:3000].encode())
    write("invalid_utf8", "utf16.txt", sample[:3000].encode("utf-16"))
    write("nul_bytes", "nul.txt", sample[:1000].encode() + b"\x00" * 100 + sample[1000:3000].encode())
    write("nul_bytes", "nul.jsonl", json.dumps({"text": sample[:2000] + "\u0000" + sample[2000:4000]}) + "\n")
    write("json_nested", "nested.json", "[" * 100_000 + "]" * 100_000)
    write("json_nested", "nested-object.jsonl", '{"text": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}\n")
    write("json_truncated", "truncated.json", json.dumps([{"text": r["text"]} for r in real])[:-500])
    write("json_truncated", "truncated-last-line.jsonl",
          json.dumps({"text": real[0]["text"]}) + "\n" + json.dumps({"text": real[1]["text"]})[:300])
    write("csv_ragged", "ragged.csv", "title,text,date\nA,\"" + real[2]["text"].replace('"', '""') + "\",2022-03-01\nB\nC,x,y,z,w\n")
    write("csv_giant_field", "giant.csv", "title,text\nbig,\"" + "Refugees fled. " * 150_000 + "\"\n")
    write("html_hostile", "hostile.html",
          "<html><head><title>Shelling <script>alert(1)</script></title><script>steal()</script></head><body>"
          "<iframe src='javascript:alert(1)'></iframe><p onclick='x()'>" + sample[:3000] + "</p>"
          "<a href='javascript:alert(2)'>more</a><img src=x onerror=alert(3)><style>p{}</style></body></html>")
    write("feed_broken", "broken.xml", "<?xml version='1.0'?><rss><channel><item><title>A</title><description>" + sample[:500])
    bomb = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    write("feed_entity_bomb", "bomb.xml",
          f'<?xml version="1.0"?><!DOCTYPE rss [{bomb}]><rss version="2.0"><channel><title>t</title>'
          "<item><title>Bomb</title><description>&l9;</description></item></channel></rss>")
    write("quotes_unbalanced", "quotes.txt", ('"He said "they will "not stop," ' + sample[:500] + " \u201c") * 40)
    write("huge_article", "hundred-thousand-words.txt", " ".join(
        rng.choice(sample.split()) + ("." if i % 17 == 16 else "") for i in range(100_000)))
    write("numbers_only", "numbers.txt", " ".join(str(rng.randint(0, 10**9)) for _ in range(5000)))
    for i in range(fuzz):
        text = list(real[i % len(real)]["text"])
        for _ in range(rng.randint(1, 200)):
            at = rng.randrange(len(text))
            text[at] = rng.choice(['"', "\u201c", "\u201d", "'", "\n", "\t", "1,000", " million", "\u200b", "<", "&"])
        write("fuzz", f"fuzz-{i}.txt", "".join(text))
    return made


def _ingest(path: Path | list[Path], db: str, timeout: float = HANG_SECONDS) -> dict:
    paths = [str(p) for p in (path if isinstance(path, list) else [path])]
    command = [sys.executable, "-m", "newsledger", "ingest", *paths, "--db", db, "--json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"hang": True}
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"crash": True, "exit": done.returncode, "stderr": done.stderr[-2000:]}
    return {"report": report, "exit": done.returncode, "crash": done.returncode != 0}


def _ids(db_file: Path) -> set[str]:
    if not db_file.exists():
        return set()
    with closing(sqlite3.connect(db_file)) as connection:
        try:
            return {row[0] for row in connection.execute("SELECT id FROM articles")}
        except sqlite3.OperationalError:
            return set()


def run_inputs(folder: Path, rng: random.Random, fuzz: int) -> dict:
    db_file = folder / "nasty.db"
    db = f"sqlite:///{db_file}"
    categories: dict[str, dict] = {}
    lost = 0
    problems = []
    (folder / "inputs").mkdir()
    for category, path in _nasty_inputs(folder / "inputs", rng, fuzz):
        before = _ids(db_file)
        outcome = _ingest(path, db)
        tally = categories.setdefault(category, {"inputs": 0, "accepted": 0, "rejected": 0, "crashes": 0, "hangs": 0,
                                                 "rejections_without_reason": 0})
        tally["inputs"] += 1
        if outcome.get("hang"):
            tally["hangs"] += 1
            problems.append({"input": path.name, "problem": "hang"})
            continue
        if outcome.get("crash"):
            tally["crashes"] += 1
            problems.append({"input": path.name, "problem": "crash", "detail": outcome.get("stderr", "")[-500:]})
            continue
        report = outcome["report"]
        tally["accepted"] += report["ingested"]
        tally["rejected"] += len(report["rejected"])
        tally["rejections_without_reason"] += sum(1 for r in report["rejected"] if not r.get("reason"))
        lost += len(before - _ids(db_file))
    with closing(sqlite3.connect(db_file)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return {"categories": categories, "rows_lost": lost, "integrity": integrity, "problems": problems}


# --- killed and overlapping ingests -------------------------------------------------


def _slice(path: Path, count: int, skip: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in _corpus_texts(count, skip):
            handle.write(json.dumps(row) + "\n")
    return path


def _rows(db_file: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db_file)) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in EXTRACTION_TABLES}


def _compare(got: dict[str, int], reference: dict[str, int]) -> tuple[int, int]:
    lost = sum(max(0, reference[t] - got[t]) for t in EXTRACTION_TABLES)
    duplicated = sum(max(0, got[t] - reference[t]) for t in EXTRACTION_TABLES)
    return lost, duplicated


def run_kills(folder: Path, rng: random.Random, rounds: int, count: int) -> dict:
    articles = _slice(folder / "kill-slice.jsonl", count)
    reference = folder / "reference.db"
    _ingest(articles, f"sqlite:///{reference}")
    db_file = folder / "killed.db"
    command = [sys.executable, "-m", "newsledger", "ingest", str(articles), "--db", f"sqlite:///{db_file}",
               "--batch-size", "4", "--json"]
    kills = []
    for _ in range(rounds):  # each round is killed after a random number of further articles is stored
        before = len(_ids(db_file))
        target = min(count - 1, before + rng.randint(1, max(1, count // (2 * rounds))))
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + HANG_SECONDS
        while len(_ids(db_file)) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 0.5))  # and at a random moment after that, mid-batch or mid-write
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills.append({"stored_before": before, "stored_after": len(_ids(db_file)), "had_finished": finished})
    with closing(sqlite3.connect(db_file)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    resumed = _ingest(articles, f"sqlite:///{db_file}")
    lost, duplicated = _compare(_rows(db_file), _rows(reference))
    return {"articles": count, "rounds": rounds, "kills": kills, "integrity_after_kills": integrity,
            "resumed_ingested": resumed.get("report", {}).get("ingested"), "rows_lost": lost,
            "rows_duplicated": duplicated, "db_file": str(db_file)}


def run_overlap(folder: Path, count: int) -> dict:
    first = _slice(folder / "overlap-a.jsonl", count * 2 // 3)
    second = _slice(folder / "overlap-b.jsonl", count - count // 3, skip=count // 3)
    union = _slice(folder / "overlap-union.jsonl", count)
    reference = folder / "overlap-reference.db"
    _ingest(union, f"sqlite:///{reference}")
    db_file = folder / "overlap.db"
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda p: _ingest(p, f"sqlite:///{db_file}"), [first, second]))
    lost, duplicated = _compare(_rows(db_file), _rows(reference))
    return {"articles": count, "crashes": sum(1 for o in outcomes if o.get("crash") or o.get("hang")),
            "ingested": [o.get("report", {}).get("ingested") for o in outcomes],
            "duplicates_skipped": [o.get("report", {}).get("duplicates") for o in outcomes],
            "rows_lost": lost, "rows_duplicated": duplicated}


# --- load test ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(folder: Path, db_file: Path, seconds: float, max_requests: int, skip: int) -> dict:
    import httpx

    db = f"sqlite:///{db_file}"
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsledger", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/articles?limit=1", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
        more = _slice(folder / "load-slice.jsonl", 80, skip=skip)
        ingest = subprocess.Popen([sys.executable, "-m", "newsledger", "ingest", str(more), "--db", db, "--json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        times: list[float] = []
        errors: list[str] = []
        stop = time.monotonic() + seconds

        def client(worker: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as session:
                i = worker
                while time.monotonic() < stop and len(times) + len(errors) < max_requests and ingest.poll() is None:
                    path = LOAD_PATHS[i % len(LOAD_PATHS)]
                    i += 1
                    started = time.perf_counter()
                    try:
                        status = session.get(path).status_code
                    except httpx.HTTPError as exc:
                        errors.append(f"{path}: {type(exc).__name__}")
                        continue
                    elapsed = (time.perf_counter() - started) * 1000
                    if status == 200:
                        times.append(elapsed)
                    else:
                        errors.append(f"{path}: {status}")

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(client, range(4)))
        load_ended = time.monotonic()
        ingest_running_at_end = ingest.poll() is None
        out, _ = ingest.communicate(timeout=HANG_SECONDS)
        report = json.loads(out)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(times)
    return {
        "requests": len(times) + len(errors), "errors": len(errors), "error_samples": errors[:5],
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1) if ordered else None,
        "seconds": round(load_ended - (stop - seconds), 1), "ingest_ingested": report["ingested"],
        "ingest_still_running_when_load_ended": ingest_running_at_end,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kill-rounds", type=int, default=5)
    parser.add_argument("--kill-articles", type=int, default=60)
    parser.add_argument("--overlap-articles", type=int, default=30)
    parser.add_argument("--fuzz", type=int, default=12, help="random mutations of real articles")
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--load-requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsledger-robustness-") as tmp:
        folder = Path(tmp)
        inputs = run_inputs(folder, rng, args.fuzz)
        kills = run_kills(folder, rng, args.kill_rounds, args.kill_articles)
        overlap = run_overlap(folder, args.overlap_articles)
        load = run_load(folder, Path(kills.pop("db_file")), args.load_seconds, args.load_requests, skip=args.kill_articles)
    tallies = inputs["categories"].values()
    print(json.dumps({
        "inputs_tried": {c: t["inputs"] for c, t in inputs["categories"].items()},
        "accepted": sum(t["accepted"] for t in tallies),
        "rejected": sum(t["rejected"] for t in tallies),
        "rejections_without_reason": sum(t["rejections_without_reason"] for t in tallies),
        "crashes": sum(t["crashes"] for t in tallies) + overlap["crashes"],
        "hangs": sum(t["hangs"] for t in tallies),
        "kill_rounds": kills["rounds"],
        "rows_lost": inputs["rows_lost"] + kills["rows_lost"] + overlap["rows_lost"],
        "rows_duplicated": kills["rows_duplicated"] + overlap["rows_duplicated"],
        "integrity": {"nasty_store": inputs["integrity"], "after_kills": kills["integrity_after_kills"]},
        "by_category": inputs["categories"],
        "problems": inputs["problems"],
        "kill": kills,
        "overlap": overlap,
        "load": load,
        "seconds": round(time.perf_counter() - started, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
