"""Robustness: generated hostile input, killed ingests and watches, concurrent writers.

    .venv/bin/python benchmarks/robustness.py [--scale 1] [--kill-rounds 24] [--seed 2022] [--details FILE]

Prints one JSON object of flat numbers (``--details`` writes every case's
outcome and every problem to a file). Every figure comes from this run, on
SQLite and on PostgreSQL (scratch databases on 127.0.0.1, dropped after):

- hostile inputs (``benchmarks/hostile.py``, seeded): text, JSONL, CSV, HTML
  and RSS/Atom files, ``POST /api/articles`` bodies, and the answers of a
  feed server on 127.0.0.1 read by ``ingest URL`` and by ``watch`` (two
  cycles). They run in one worker process through the library
  (``newsledger.ingest``, the web app in process, ``Watcher.cycle``), odd
  cases into PostgreSQL and even ones into SQLite, with a fetch deadline of
  ``FETCH_SECONDS`` and ``ITEM_SECONDS`` per article in the pipeline (the
  settings' defaults are 30 s and 120 s). The worker is watched from here: a
  case that takes over ``HANG_SECONDS`` is a ``hang`` (the worker is killed
  and restarted), a worker that dies or an exception that escapes (an answer
  500 from the web app) is a ``crash``, and the RSS of the worker and of the
  web app's ingest process is sampled every 20 ms (``peak_rss_mb``, the
  larger). ``accepted`` counts inputs that stored an article (or found it
  stored), ``rejected`` inputs that gave only rejections; ``items_accepted``
  and ``items_rejected`` count their articles and rejections (a JSONL file
  has many). Every rejection must name the item and a reason;
  ``unexpected`` counts rejections that only say an exception was caught,
  ``silent`` inputs that gave no outcome at all, ``items_missing`` files
  that gave fewer outcomes than they have lines or entries,
  ``wrong_outcomes`` cases whose outcome is known in advance (a gzip feed is
  read, a gzip bomb is not) and came out otherwise, ``leaks`` stored text or
  reasons holding a local file's content, ``external_fetches`` requests an
  XML entity made to the server. A sample also runs through the command line
  (``newsledger ingest FILE|URL --json``, ``newsledger watch URL --cycles
  1``), which must exit 0 without a traceback.
- kill rounds: ``newsledger ingest`` of a corpus slice into SQLite and into
  PostgreSQL, and ``newsledger watch`` of a folder and a feed, three articles
  a transaction, each killed with SIGKILL once or twice at a random moment (a
  random time into the run, or a random time after a random number of
  articles is stored; ``kill_kills_*`` say where the kills fell), then run
  again to the end: the store must equal a clean run's row for row in every
  table, and pass the integrity checks (SQLite: integrity_check,
  foreign_key_check, the FTS index; PostgreSQL: amcheck on every B-tree
  index, heap included).
- concurrent writers: ``newsledger ingest``, ``newsledger watch`` and
  ``POST /api/articles`` (to ``newsledger serve``) write overlapping articles
  into one store at once while threads read the web app; the store must
  equal a clean sequential run of the same inputs, and each article must be
  reported stored by exactly one writer.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import json
import os
import random
import re
import select
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from functools import lru_cache
from pathlib import Path

import hostile

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HANG_SECONDS = 90  # a case with no outcome by then is a hang
FETCH_SECONDS = 5  # the fetch deadline for this run (the setting's default is 30 s)
ITEM_SECONDS = 15  # the pipeline's per-article limit for this run (default 120 s)
MEMORY_CAP_MB = 6000  # a worker over this is stopped and the case counted as a crash
FAMILY_CASES = {"text": 220, "jsonl": 220, "csv": 180, "html": 220, "feed": 240, "api": 220, "url": 120}
VOLATILE = {"articles": {"ingested_at"}, "watched": {"checked_at"}, "alerts": {"created_at"}}
SKIPPED_TABLES = {"store_state", "alembic_version"}  # a change counter and the schema version
LOAD_PATHS = ["/api/articles", "/api/figures", "/api/quotes", "/api/speakers", "/api/timeline", "/api/entities",
              "/api/search?q=Kyiv", "/", "/articles", "/api/overview"]


def _env(**extra: str) -> dict:
    return {**os.environ, "NEWSLEDGER_ITEM_SECONDS": str(ITEM_SECONDS), "NEWSLEDGER_FETCH_SECONDS": str(FETCH_SECONDS),
            **extra}


def _cli(*args: str) -> list[str]:
    return [PYTHON, "-m", "newsledger", *args]


# --- the feed server ----------------------------------------------------------------------------


class FeedServer(socketserver.ThreadingTCPServer):
    """Answers on 127.0.0.1: ``/case/url/N/...`` as hostile URL case N says (``hostile.Served``),
    ``/entity/...`` (what an XML external entity would fetch: counted), and the static feeds of
    the kill and concurrency sections (``feeds[path] = (body, etag)``)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, seed: int, canary: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.seed = seed
        self.canary = canary
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.entity_requests: list[str] = []
        self.feeds: dict[str, tuple[bytes, str]] = {}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def fill(self, data: bytes) -> bytes:
        return data.replace(b"{base}", self.base.encode()).replace(b"{canary}", str(self.canary).encode())

    @lru_cache(maxsize=8)
    def served(self, number: int) -> hostile.Served:
        return hostile.case(self.seed, "url", number).served


class _Answer(socketserver.BaseRequestHandler):
    server: FeedServer

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(120)
        try:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 1 << 20:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                request += chunk
            path = request.split(b" ", 2)[1].decode("latin-1") if request.count(b" ") >= 2 else "/"
            self.answer(sock, path, request)
        except OSError:  # the client went away: often what is being tested
            return

    def answer(self, sock: socket.socket, path: str, request: bytes) -> None:
        server = self.server
        if path.startswith("/entity/"):
            server.entity_requests.append(path)
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\nConnection: close\r\n\r\nENTITY-FETCHED")
            return
        if path in server.feeds:
            body, etag = server.feeds[path]
            if f'If-None-Match: {etag}'.encode() in request:
                sock.sendall(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
                return
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n"
                         b"ETag: %s\r\nContent-Length: %d\r\n\r\n%s" % (etag.encode(), len(body), body))
            return
        match = re.match(r"/case/url/(\d+)/(?:chain/(\d+))?", path)
        if not match:
            sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        served = server.served(int(match[1]))
        body = server.fill(served.body)
        head = served.head.replace("{base}", server.base).replace("{canary}", str(server.canary))
        if served.mode == "chain":
            hops = int(match[2]) if match[2] is not None else served.hops
            if hops > 0:
                sock.sendall(head.replace("{next}", str(hops - 1)).replace("{length}", "0").encode("latin-1"))
                return
            head = hostile._head()
        head_bytes = head.replace("{length}", str(len(body))).encode("latin-1", "replace")
        mode = served.mode
        if mode == "silent":
            time.sleep(FETCH_SECONDS * 3)
        elif mode == "raw":
            sock.sendall(head_bytes)
        elif mode == "reset":
            sock.sendall(head_bytes + body[: len(body) // 3])
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        elif mode == "trickle":
            sock.sendall(head_bytes)
            for byte in body[: FETCH_SECONDS * 4]:
                time.sleep(1)
                sock.sendall(bytes([byte]))
        elif mode in ("endless", "endless_chunked"):
            sock.sendall(head_bytes)
            chunked = mode == "endless_chunked"
            for _ in range(100_000):  # at most a few GB; the client should stop far sooner
                sock.sendall(b"%x\r\n%s\r\n" % (len(body), body) if chunked else body)
        elif mode == "gzip_bomb":
            sock.sendall(head_bytes)
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            block = body * ((1 << 20) // len(body))
            for _ in range(served.bomb_mb):
                packed = packer.compress(block)
                if packed:
                    sock.sendall(packed)
            sock.sendall(packer.flush())
        elif mode == "chunked":
            head_bytes = re.sub(rb"Content-Length: \d+\r\n", b"Transfer-Encoding: chunked\r\n", head_bytes)
            sock.sendall(head_bytes)
            for at in range(0, len(body), 4096):
                piece = body[at : at + 4096]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
        else:
            sock.sendall(head_bytes + body)


# --- the hostile-input worker (a separate process, driven from here) ---------------------------


def worker(args: argparse.Namespace) -> None:
    """Read ``family number route`` lines on stdin, run each case, write one JSON line per case."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever the library prints goes to stderr, not into the answers
    import logging

    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    import newsledger
    from newsledger.api import create_app
    from newsledger.nlp import load_pipeline
    from newsledger.readers import ReadOptions
    from newsledger.readers.sources import UNEXPECTED
    from newsledger.watch import Watcher

    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(self.format(record))

    logging.getLogger("newsledger").addHandler(Keep())
    load_pipeline()
    stores = {"sqlite": args.sqlite, "postgresql": args.postgres}
    engines = {name: sa.create_engine(url) for name, url in stores.items()}
    clients = {name: TestClient(create_app(url, token=hostile.TOKEN), raise_server_exceptions=False)
               for name, url in stores.items()}
    options = ReadOptions(fetch_seconds=FETCH_SECONDS)
    folder = Path(tempfile.mkdtemp(prefix="newsledger-hostile-"))
    canary = Path(args.canary)

    def fill(data: bytes) -> bytes:
        return data.replace(b"{base}", args.base.encode()).replace(b"{canary}", str(canary).encode())

    def count(engine_name: str) -> int:
        with engines[engine_name].connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM articles")).scalar()

    for line in sys.stdin:
        family, number, engine_name, route = line.split()
        case = hostile.case(args.seed, family, int(number))
        db = stores[engine_name]
        result = {"family": family, "number": int(number), "kind": case.kind, "engine": engine_name, "route": route,
                  "accepted": 0, "rejected": [], "crash": None}
        logged.clear()
        before = count(engine_name)
        started = time.perf_counter()
        events: list[tuple[str, str, str]] = []

        def progress(event: str, item) -> None:
            if event == "rejected":
                events.append(("rejected", item.item, item.reason))
            else:
                events.append((event, getattr(item, "origin", ""), ""))

        try:
            if family in hostile.FILE_FAMILIES:
                path = folder / case.name
                path.write_bytes(fill(case.data))
                try:
                    newsledger.ingest([path], db=db, options=options, on_progress=progress)
                finally:
                    path.unlink()
                result["item_prefix"] = str(path)
            elif family == "api":
                headers = {"authorization": f"Bearer {case.token}"} if case.token is not None else {}
                client = clients[engine_name]
                if case.content_type == "multipart/form-data":
                    answer = client.post("/api/articles", headers=headers,
                                         files={"file": (case.upload_name, fill(case.data))})
                else:
                    if case.content_type:
                        headers["content-type"] = case.content_type
                    answer = client.post("/api/articles", headers=headers, content=fill(case.data))
                result["status"] = answer.status_code
                try:
                    payload = answer.json()
                except ValueError:
                    payload = None
                if answer.status_code >= 500 or not isinstance(payload, dict):
                    result["crash"] = f"HTTP {answer.status_code}: {answer.text[:300]} {' | '.join(logged)[-3000:]}"
                elif answer.status_code == 201:
                    events += [("ingested", "", "")] * payload["ingested"] + [("duplicate", "", "")] * payload["duplicates"]
                    events += [("rejected", r["item"], r["reason"]) for r in payload["rejected"]]
                elif set(payload) != {"ok", "error", "status"} or payload["ok"] is not False:
                    result["crash"] = f"error answer not in the one error shape: {payload}"
                else:
                    events.append(("rejected", "POST /api/articles", f"HTTP {answer.status_code}: {payload['error']}"))
            else:
                url = f"{args.base}/case/url/{number}/{case.name}"
                if route == "ingest":
                    newsledger.ingest([url], db=db, options=options, on_progress=progress)
                else:
                    watcher = Watcher([url], db=db, options=options, every=1)
                    first = watcher.cycle()
                    watcher.cycle()  # a second cycle: conditional request or back-off
                    events += [("ingested", "", "")] * first.new + [("duplicate", "", "")] * first.duplicates
                    events += [("rejected", r.item, r.reason) for r in first.rejected]
                    events += [("unchanged", "", "")] * first.unchanged
                result["item_prefix"] = url
        except Exception:  # noqa: BLE001 - what escapes the library is what this benchmark counts
            result["crash"] = traceback.format_exc()[-3000:]
        result["seconds"] = round(time.perf_counter() - started, 3)
        result["accepted"] = sum(1 for e in events if e[0] in ("ingested", "duplicate"))
        result["ingested"] = sum(1 for e in events if e[0] == "ingested")
        result["outcomes"] = len(events)
        result["rejected"] = [{"item": item[:300], "reason": reason[:500]} for kind, item, reason in events if kind == "rejected"]
        result["unexpected"] = sum(1 for r in result["rejected"] if r["reason"].startswith(UNEXPECTED))
        result["rows_lost"] = max(0, before - count(engine_name))
        result["leaks"] = sum(1 for r in result["rejected"] for marker in hostile.LEAK_MARKERS if marker in r["reason"])
        out.write(json.dumps(result) + "\n")


class Worker:
    """The worker process, restarted after a hang or a crash; its RSS is sampled while it works."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.args = args
        self.log = log
        self.process: subprocess.Popen | None = None
        self.peak_rss = 0
        self.restarts = 0

    def _start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen([PYTHON, str(HERE / "robustness.py"), "worker", *self.args],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                            text=True, bufsize=1, env=_env())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
        if self.process:
            self.process.wait()
        self.process = None

    def run(self, line: str) -> tuple[str, dict | None, float]:
        """("ok", result), ("hang", None), ("crash", None) or ("memory", None), and the case's peak RSS in MB."""
        import psutil

        if self.process is None:
            self._start()
            self.restarts += 1
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        watched = psutil.Process(self.process.pid)
        deadline = time.monotonic() + HANG_SECONDS
        peak = 0
        while True:
            try:  # the worker, or the process the web app ingests in (its child), whichever is larger
                peak = max([peak, watched.memory_info().rss] + [c.memory_info().rss for c in watched.children()])
            except psutil.Error:
                pass
            ready, _, _ = select.select([self.process.stdout], [], [], 0.02)
            if ready:
                answer = self.process.stdout.readline()
                self.peak_rss = max(self.peak_rss, peak)
                if not answer:
                    self.stop()
                    return "crash", None, peak / 2**20
                return "ok", json.loads(answer), peak / 2**20
            if peak > MEMORY_CAP_MB * 2**20:
                self.stop()
                return "memory", None, peak / 2**20
            if time.monotonic() > deadline:
                self.stop()
                return "hang", None, peak / 2**20


def _plan(scale: float, seed: int) -> list[tuple[str, int, str, str]]:
    """(family, number, engine, route) for every case, shuffled so that slow kinds spread out."""
    plan = []
    for family, count in FAMILY_CASES.items():
        for number in range(max(1, round(count * scale))):
            engine = "sqlite" if number % 2 == 0 else "postgresql"
            if family == "url":
                plan.append((family, number, engine, "ingest"))
                plan.append((family, number, "postgresql" if engine == "sqlite" else "sqlite", "watch"))
            else:
                plan.append((family, number, engine, "post" if family == "api" else "file"))
    random.Random(seed).shuffle(plan)
    return plan


def run_hostile(folder: Path, server: FeedServer, seed: int, scale: float, stores: dict[str, str]) -> dict:
    worker_args = ["--seed", str(seed), "--sqlite", stores["sqlite"], "--postgres", stores["postgresql"],
                   "--base", server.base, "--canary", str(server.canary)]
    runner = Worker(worker_args, folder / "worker.log")
    tally = collections.Counter()
    problems: list[dict] = []
    cases: list[dict] = []
    slowest: list[tuple[float, str]] = []
    try:
        for family, number, engine, route in _plan(scale, seed):
            label = f"{family} {number} {engine} {route}"
            status, result, peak_mb = runner.run(label)
            tally["inputs"] += 1
            tally[f"inputs_{family if family != 'url' else route + '_url'}"] += 1
            tally[f"inputs_{engine}"] += 1
            kind = hostile.case(seed, family, number).kind if status != "ok" else result["kind"]
            if status != "ok":
                tally["hangs" if status == "hang" else "crashes"] += 1
                problems.append({"case": label, "kind": kind, "problem": status, "peak_rss_mb": round(peak_mb)})
                continue
            result["peak_rss_mb"] = round(peak_mb)
            cases.append({k: v for k, v in result.items() if k != "rejected"} | {"reasons": [r["reason"][:120] for r in result["rejected"][:3]]})
            slowest.append((result["seconds"], label + " " + kind))
            tally["accepted" if result["accepted"] else "rejected"] += 1  # an input with any article stored is accepted
            tally["items_accepted"] += result["accepted"]
            tally["items_rejected"] += len(result["rejected"])
            tally["articles_new"] += result["ingested"]
            tally["rows_lost"] += result["rows_lost"]
            tally["leaks"] += result["leaks"]
            found = []
            if result["crash"]:
                found.append(("crash", result["crash"]))
            if result["unexpected"]:
                found.append(("unexpected", [r for r in result["rejected"] if "unexpected" in r["reason"]][:2]))
            unnamed = [r for r in result["rejected"] if not r["item"].strip() or not r["reason"].strip()
                       or (family in ("text", "jsonl", "csv", "html") and not r["item"].startswith(result["item_prefix"]))]
            if unnamed:
                found.append(("rejection_without_item_or_reason", unnamed[:2]))
            case = hostile.case(seed, family, number)
            outcomes = result["accepted"] + len(result["rejected"])
            if result["outcomes"] == 0 and not result["crash"]:
                found.append(("silent", "no article and no rejection"))
            elif outcomes < case.expect_items and not result["crash"] and route != "watch":
                found.append(("items_missing", f"{outcomes} outcomes for {case.expect_items} items"))
            if case.expect == "accept" and not result["accepted"]:
                found.append(("wrong_outcome", {"expected": "accept", "rejected": result["rejected"][:2]}))
            if case.expect == "reject" and result["accepted"]:
                found.append(("wrong_outcome", {"expected": "reject", "accepted": result["accepted"]}))
            if result["leaks"]:
                found.append(("leak", result["rejected"][:2]))
            for problem, detail in found:
                key = {"crash": "crashes", "unexpected": "unexpected", "silent": "silent", "leak": "leaking_cases",
                       "items_missing": "items_missing", "wrong_outcome": "wrong_outcomes",
                       "rejection_without_item_or_reason": "unnamed_rejections"}[problem]
                tally[key] += 1
                problems.append({"case": label, "kind": result["kind"], "problem": problem, "detail": detail})
    finally:
        runner.stop()
    slowest.sort(reverse=True)
    log = (folder / "worker.log").read_text(errors="replace")
    return {"tally": tally, "problems": problems, "cases": cases, "peak_rss_mb": round(runner.peak_rss / 2**20),
            "worker_restarts": runner.restarts - 1, "slowest": slowest[:10], "worker_log_tail": log[-20_000:]}


def stored_leaks(url: str) -> int:
    """Stored rows whose text, title, source or url holds a local file's content."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    found = 0
    with engine.connect() as connection:
        for marker in hostile.LEAK_MARKERS:
            found += connection.execute(sa.text(
                "SELECT count(*) FROM articles WHERE text LIKE :m OR title LIKE :m OR source LIKE :m OR url LIKE :m "
                "OR origin LIKE :m"), {"m": f"%{marker}%"}).scalar()
    engine.dispose()
    return found


# --- the command line, on a sample --------------------------------------------------------------


def run_cli_sample(folder: Path, server: FeedServer, seed: int, scale: float, db: str, size: int) -> dict:
    """Sample cases through ``newsledger ingest`` and ``newsledger watch`` processes."""
    rng = random.Random(seed + 1)
    files = [(f, n) for f, c in FAMILY_CASES.items() if f in hostile.FILE_FAMILIES for n in range(round(c * scale))]
    urls = list(range(round(FAMILY_CASES["url"] * scale)))
    jobs: list[tuple[str, list[str], bool]] = []
    sample_dir = folder / "cli-sample"
    sample_dir.mkdir()
    for family, number in rng.sample(files, min(size, len(files))):
        case = hostile.case(seed, family, number)
        path = sample_dir / case.name
        path.write_bytes(server.fill(case.data))
        jobs.append((f"{family} {number} {case.kind}", _cli("ingest", str(path), "--db", db, "--json",
                                                                "--fetch-seconds", str(FETCH_SECONDS)), True))
    for number in rng.sample(urls, min(size // 3, len(urls))):
        case = hostile.case(seed, "url", number)
        url = f"{server.base}/case/url/{number}/{case.name}"
        jobs.append((f"url {number} {case.kind} ingest", _cli("ingest", url, "--db", db, "--json",
                                                               "--fetch-seconds", str(FETCH_SECONDS)), True))
    for number in rng.sample(urls, min(size // 4, len(urls))):
        case = hostile.case(seed, "url", number)
        url = f"{server.base}/case/url/{number}/{case.name}"
        jobs.append((f"url {number} {case.kind} watch", _cli("watch", url, "--db", db, "--cycles", "1",
                                                              "--fetch-seconds", str(FETCH_SECONDS)), False))

    def one(job: tuple[str, list[str], bool]) -> dict:
        label, command, answers_json = job
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=HANG_SECONDS * 2, env=_env())
        except subprocess.TimeoutExpired:
            return {"case": label, "problem": "hang"}
        problem = None
        if done.returncode != 0:
            problem = f"exit {done.returncode}"
        elif "Traceback" in done.stderr or "Traceback" in done.stdout:
            problem = "traceback"
        elif answers_json:
            try:
                json.loads(done.stdout)
            except ValueError:
                problem = "no JSON report"
        return {"case": label, "problem": problem, "stderr": done.stderr[-1500:] if problem else ""}

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(pool.map(one, jobs))
    bad = [r for r in results if r["problem"]]
    return {"tried": len(results), "hangs": sum(1 for r in bad if r["problem"] == "hang"),
            "crashes": sum(1 for r in bad if r["problem"] != "hang"), "problems": bad}


# --- stores: scratch databases, snapshots, integrity --------------------------------------------


@contextlib.contextmanager
def scratch_postgres(name: str):
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")

    def reset() -> str:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + name

    try:
        yield reset
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def snapshot(url: str, leave_out: dict[str, set[str]] | None = None) -> dict[str, collections.Counter]:
    """Every row of every table, as tuples of its values (volatile columns left out)."""
    import sqlalchemy as sa

    leave_out = {table: VOLATILE.get(table, set()) | (leave_out or {}).get(table, set())
                 for table in set(VOLATILE) | set(leave_out or {})}
    engine = sa.create_engine(url)
    tables = {}
    with engine.connect() as connection:
        for name in sa.inspect(connection).get_table_names():
            if name in SKIPPED_TABLES or name.startswith("articles_fts"):
                continue
            columns = [c["name"] for c in sa.inspect(connection).get_columns(name) if c["name"] not in leave_out.get(name, ())]
            if not columns:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = connection.execute(sa.text(f'SELECT {quoted} FROM "{name}"'))
            tables[name] = collections.Counter(tuple(_plain(v) for v in row) for row in rows)
    engine.dispose()
    return tables


def _plain(value: object) -> object:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, list):
        return tuple(value)
    if value is not None and not isinstance(value, (int, str)):
        return str(value)
    return value


def compare(got: dict[str, collections.Counter], reference: dict[str, collections.Counter]) -> tuple[int, int, list]:
    """(rows lost, rows extra, which tables differ) between two snapshots."""
    lost = extra = 0
    differing = []
    for table in sorted(set(got) | set(reference)):
        mine, theirs = got.get(table, collections.Counter()), reference.get(table, collections.Counter())
        missing, surplus = sum((theirs - mine).values()), sum((mine - theirs).values())
        if missing or surplus:
            differing.append({"table": table, "lost": missing, "extra": surplus})
        lost += missing
        extra += surplus
    return lost, extra, differing


def integrity(url: str) -> list[str]:
    """Integrity problems found; empty when the store is sound."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    problems = []
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if result != "ok":
                problems.append(f"integrity_check: {result}")
            if connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                problems.append("foreign_key_check found orphans")
            try:
                connection.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
            except sa.exc.DatabaseError as exc:
                problems.append(f"FTS integrity-check: {exc.orig}")
            ids = set(connection.exec_driver_sql("SELECT id FROM articles").scalars())
            fts = list(connection.exec_driver_sql("SELECT article_id FROM articles_fts").scalars())
            if set(fts) != ids or len(fts) != len(ids):
                problems.append(f"FTS rows {len(fts)} for {len(ids)} articles")
            connection.rollback()
        else:
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            indexes = connection.execute(sa.text(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'")).scalars().all()
            for index in indexes:
                try:
                    connection.execute(sa.text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index})
                except sa.exc.DatabaseError as exc:
                    problems.append(f"amcheck {index}: {exc.orig}")
                    connection.rollback()
            connection.commit()
    engine.dispose()
    return problems


def _article_count(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM articles")).scalar()
    except sa.exc.DBAPIError:
        return 0  # not created yet
    finally:
        engine.dispose()


# --- kill rounds --------------------------------------------------------------------------------


def _corpus_rows(count: int, skip: int = 0, plain: bool = False) -> list[dict]:
    """Corpus articles; ``plain`` ones have no angle brackets (HTML would read them as tags), one
    outlet name and normalised whitespace, so they read the same from JSONL, a feed or a POST."""
    rows = []
    with hostile.CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if plain:
                if any(c in row["text"] + (row.get("title") or "") for c in "<>"):
                    continue
                row = {"source": "Robustness Wire", "url": row["url"], "title": " ".join(row["title"].split()),
                       "date": row["date"], "text": " ".join(row["text"].split())}
            rows.append(row)
            if len(rows) >= skip + count:
                break
    return rows[skip:]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


KILL_ARTICLES = 30  # in the ingest slice, and in the watched folder and feed together
KILL_BATCH = 3  # articles per transaction in the killed runs, so a kill can fall between writes


def _phase(stored: int, total: int, finished: bool) -> str:
    if finished:
        return "after_exit"
    if stored == 0:
        return "before_first_write"
    return "between_writes" if stored < total else "after_last_write"  # the last: cross-source update, exit


def run_kills(folder: Path, server: FeedServer, rng: random.Random, rounds: int, stores) -> dict:
    """``rounds`` split over ingest into SQLite, ingest into PostgreSQL, and watch (both engines); each
    killed once or twice at a random moment, then run again to the end and compared with a clean run."""
    rows = _corpus_rows(KILL_ARTICLES, skip=100)
    slice_file = _write_jsonl(folder / "kill-slice.jsonl", rows)
    inbox = folder / "kill-inbox"
    inbox.mkdir()
    for i, row in enumerate(_corpus_rows(KILL_ARTICLES // 2, skip=200, plain=True)):
        (inbox / f"article-{i}.txt").write_text(row["text"], encoding="utf-8")
    feed_rows = _corpus_rows(KILL_ARTICLES - KILL_ARTICLES // 2, skip=300, plain=True)
    server.feeds["/kill/feed.xml"] = (hostile.feed_document(feed_rows).encode(), '"kill-feed-1"')
    feed_url = server.base + "/kill/feed.xml"
    commands = {  # (the clean run and the rerun, the run that is killed)
        "ingest": lambda db: [_cli("ingest", str(slice_file), "--db", db, "--batch-size", str(KILL_BATCH), "--json")] * 2,
        "watch": lambda db: [_cli("watch", str(inbox), feed_url, "--db", db, "--every", "1s", "--cycles", cycles)
                             for cycles in ("1", "0")],  # the killed watch cycles until it is killed
    }
    environment = _env(NEWSLEDGER_BATCH_SIZE=str(KILL_BATCH))  # watch has no --batch-size
    watch_rounds = max(2, rounds // 4)
    ingest_rounds = rounds - watch_rounds
    schedule = ([("ingest", "sqlite")] * (ingest_rounds - ingest_rounds // 2) + [("ingest", "postgresql")] * (ingest_rounds // 2)
                + [("watch", "sqlite")] * (watch_rounds - watch_rounds // 2) + [("watch", "postgresql")] * (watch_rounds // 2))
    references: dict[tuple[str, str], tuple[dict, float]] = {}
    outcome = collections.Counter()
    log = []
    for round_number, (mode, engine) in enumerate(schedule):
        if (mode, engine) not in references:
            db = stores[engine](f"kill-reference-{mode}")
            started = time.perf_counter()
            done = subprocess.run(commands[mode](db)[0], capture_output=True, text=True, env=environment)
            if done.returncode != 0:
                raise SystemExit(f"clean {mode} run on {engine} failed: {done.stderr[-2000:]}")
            references[(mode, engine)] = (snapshot(db), time.perf_counter() - started)
        reference, clean_seconds = references[(mode, engine)]
        db = stores[engine](f"kill-{mode}")
        complete, killed = commands[mode](db)
        kills = []
        for _ in range(rng.choice([1, 1, 2])):  # some rounds are killed twice before the rerun
            process = subprocess.Popen(killed, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
            if rng.random() < 1 / 3:  # a random time into the run: model loading and migration included
                wait = rng.uniform(0, clean_seconds)
                time.sleep(wait)
                moment = f"{wait:.2f} s in"
            else:  # a random time after a random number of articles is stored
                target = rng.randrange(KILL_ARTICLES)
                deadline = time.monotonic() + clean_seconds * 3
                while _article_count(db) < target and process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.02)
                extra = rng.uniform(0, 0.3)
                time.sleep(extra)
                moment = f"{extra:.2f} s after article {target} was stored"
            finished = process.poll() is not None
            process.send_signal(signal.SIGKILL)
            process.wait()
            stored = _article_count(db)
            phase = _phase(stored, KILL_ARTICLES, finished)
            kills.append({"moment": moment, "stored": stored, "phase": phase})
            outcome["kills"] += 1
            outcome[f"kills_{phase}"] += 1
        done = subprocess.run(complete, capture_output=True, text=True, env=environment)
        lost, extra, differing = compare(snapshot(db), reference)
        problems = integrity(db)
        outcome["rounds"] += 1
        outcome[f"rounds_{mode}_{engine}"] += 1
        outcome["rows_lost"] += lost
        outcome["rows_duplicated"] += extra
        outcome["integrity_failures"] += bool(problems)
        outcome["rerun_failures"] += done.returncode != 0 or "Traceback" in done.stderr
        log.append({"round": round_number, "mode": mode, "engine": engine, "kills": kills, "rows_lost": lost,
                    "rows_extra": extra, "differing": differing, "integrity": problems,
                    "rerun_exit": done.returncode, "rerun_stderr": done.stderr[-800:] if done.returncode else ""})
    return {"tally": outcome, "rounds": log,
            "clean_seconds": {f"{m}_{e}": round(s, 1) for (m, e), (_, s) in references.items()}}


# --- concurrent writers -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_concurrent(folder: Path, server: FeedServer, engine: str, stores) -> dict:
    """ingest, watch and POST /api/articles into one store at once, while the web app is read."""
    import httpx

    rows = _corpus_rows(60, skip=500, plain=True)  # each writer's share overlaps another's
    by_writer = {"ingest": rows[0:24], "watch_files": rows[18:36], "watch_feed": rows[33:45],
                 "post": rows[42:60] + rows[0:3]}
    work = folder / f"concurrent-{engine}"
    (work / "inbox").mkdir(parents=True)
    ingest_file = _write_jsonl(work / "ingest.jsonl", by_writer["ingest"])
    _write_jsonl(work / "inbox" / "watched.jsonl", by_writer["watch_files"])
    feed_path = f"/concurrent/{engine}/feed.xml"
    server.feeds[feed_path] = (hostile.feed_document(by_writer["watch_feed"]).encode(), f'"{engine}-1"')
    feed_url = server.base + feed_path

    # The reference: the same inputs, one writer after the other, into a new store.
    reference_db = stores[engine]("concurrent-reference")
    post_file = _write_jsonl(work / "post.jsonl", by_writer["post"])
    for source in ([str(ingest_file)], [str(work / "inbox" / "watched.jsonl")], [feed_url], [str(post_file)]):
        subprocess.run(_cli("ingest", *source, "--db", reference_db, "--json"), capture_output=True, env=_env(), check=True)
    reference = snapshot(reference_db, {"articles": {"origin"}, "watched": {"source", "etag", "last_modified", "stamp",
                                                                            "digest", "failures", "retry_at"}})

    db = stores[engine]("concurrent")
    subprocess.run(_cli("articles", "--db", db, "--json"), capture_output=True, env=_env(), check=True)  # create it
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(_cli("serve", "--db", db, "--port", str(port), "--token", hostile.TOKEN),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env())
    times: list[float] = []
    errors: list[str] = []
    reports = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/articles?limit=1", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or serve.poll() is not None:
                    raise SystemExit("newsledger serve did not start")
                time.sleep(0.2)
        started = time.monotonic()
        ingest = subprocess.Popen(_cli("ingest", str(ingest_file), "--db", db, "--json", "--batch-size", "4"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
        watch = subprocess.Popen(_cli("watch", str(work / "inbox"), feed_url, "--db", db, "--every", "2s",
                                      "--cycles", "3"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=_env())
        writing = threading.Event()
        writing.set()
        posted: list[dict] = []

        def post() -> None:
            with httpx.Client(base_url=base, timeout=300,
                              headers={"authorization": f"Bearer {hostile.TOKEN}"}) as session:
                for row in by_writer["post"]:
                    answer = session.post("/api/articles", json=row)
                    posted.append(answer.json() | {"status": answer.status_code})

        def read(worker: int) -> None:
            with httpx.Client(base_url=base, timeout=120) as session:
                i = worker
                while writing.is_set():
                    path = LOAD_PATHS[i % len(LOAD_PATHS)]
                    i += 1
                    began = time.perf_counter()
                    try:
                        status = session.get(path).status_code
                    except httpx.HTTPError as exc:
                        errors.append(f"{path}: {type(exc).__name__}")
                        continue
                    if status == 200:
                        times.append((time.perf_counter() - began) * 1000)
                    else:
                        errors.append(f"{path}: {status}")

        readers = [threading.Thread(target=read, args=(i,)) for i in range(4)]
        poster = threading.Thread(target=post)
        for thread in [*readers, poster]:
            thread.start()
        ingest_out, ingest_err = ingest.communicate(timeout=900)
        watch_out, watch_err = watch.communicate(timeout=900)
        poster.join()
        writing.clear()
        for thread in readers:
            thread.join()
        seconds = time.monotonic() - started
    finally:
        serve.terminate()
        serve_err = serve.communicate(timeout=30)[1]
    reports["ingest"] = json.loads(ingest_out)["ingested"] if ingest.returncode == 0 else None
    reports["watch"] = sum(int(m) for m in re.findall(r": (\d+) new,", watch_out))
    reports["post"] = sum(p.get("ingested", 0) for p in posted)
    stored_once = sum(v or 0 for v in reports.values())
    unique = len({_article_id(row["text"]) for rows_ in by_writer.values() for row in rows_})
    got = snapshot(db, {"articles": {"origin"}, "watched": {"source", "etag", "last_modified", "stamp", "digest",
                                                            "failures", "retry_at"}})
    got.pop("watched", None)
    reference.pop("watched", None)
    lost, extra, differing = compare(got, reference)
    ordered = sorted(times)
    crashed = [name for name, (code, err) in {"ingest": (ingest.returncode, ingest_err), "watch": (watch.returncode, watch_err),
                                               "serve": (0, serve_err)}.items() if code != 0 or "Traceback" in err]
    crashed += ["post"] * sum(1 for p in posted if p["status"] != 201)
    return {
        "engine": engine, "seconds": round(seconds, 1), "rows_lost": lost, "rows_duplicated": extra, "differing": differing,
        "articles": unique, "reported_stored": stored_once, "reports": reports,
        "reported_twice": max(0, stored_once - unique), "reported_missing": max(0, unique - stored_once),
        "crashed_writers": crashed, "integrity": integrity(db),
        "writer_errors": {name: err[-4000:] for name, err in (("ingest", ingest_err), ("watch", watch_err),
                                                             ("serve", serve_err)) if "Traceback" in err},
        "web_requests": len(times) + len(errors), "web_errors": len(errors), "web_error_samples": errors[:5],
        "web_p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1) if ordered else None,
        "web_p50_ms": round(statistics.median(ordered), 1) if ordered else None,
    }


def _article_id(text: str) -> str:
    from newsledger.readers import article_id

    return article_id(text)


# --- the run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("worker", help="internal: run hostile cases read from stdin")
    for name in ("--seed", "--sqlite", "--postgres", "--base", "--canary"):
        child.add_argument(name, required=True, type=int if name == "--seed" else str)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of cases of each family")
    parser.add_argument("--kill-rounds", type=int, default=24)
    parser.add_argument("--cli-sample", type=int, default=30, help="files run through the command line")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--details", type=Path, help="write every case and problem here (JSON)")
    parser.add_argument("--skip", default="", help="comma-separated sections to leave out: hostile,cli,kills,concurrent")
    args = parser.parse_args()
    if args.command == "worker":
        worker(args)
        return
    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    details: dict = {}
    with tempfile.TemporaryDirectory(prefix="newsledger-robustness-") as tmp, \
            scratch_postgres("newsledger_robust_hostile") as pg_hostile, \
            scratch_postgres("newsledger_robust_a") as pg_a, scratch_postgres("newsledger_robust_b") as pg_b:
        folder = Path(tmp)
        canary = folder / "canary.txt"
        canary.write_text(hostile.CANARY_TEXT + "\n", encoding="utf-8")
        server = FeedServer(args.seed, canary)
        postgres = {"a": pg_a, "b": pg_b}
        sqlite_count = collections.Counter()

        def store(engine: str):
            def fresh(purpose: str) -> str:
                if engine == "postgresql":
                    return postgres["b" if "reference" in purpose else "a"]()
                sqlite_count[purpose] += 1
                return f"sqlite:///{folder / f'{purpose}-{sqlite_count[purpose]}.db'}"
            return fresh

        stores = {"sqlite": store("sqlite"), "postgresql": store("postgresql")}
        hostile_stores = {"sqlite": f"sqlite:///{folder / 'hostile.db'}", "postgresql": pg_hostile()}
        summary = collections.Counter({key: 0 for key in (
            "unexpected", "silent", "items_missing", "wrong_outcomes", "unnamed_rejections", "leaks",
            "external_fetches", "integrity_failures")})
        peak_rss = 0
        if "hostile" not in skip:
            found = run_hostile(folder, server, args.seed, args.scale, hostile_stores)
            summary.update(found["tally"])
            peak_rss = found["peak_rss_mb"]
            details["hostile"] = {k: v for k, v in found.items() if k != "tally"}
            for engine, url in hostile_stores.items():
                summary["leaks"] += stored_leaks(url)
                problems = integrity(url)
                summary["integrity_failures"] += bool(problems)
                details.setdefault("integrity", {})[f"hostile_{engine}"] = problems
            summary["external_fetches"] = len(server.entity_requests)
        if "cli" not in skip:
            sample = run_cli_sample(folder, server, args.seed, args.scale, f"sqlite:///{folder / 'cli.db'}",
                                    args.cli_sample)
            summary["cli_tried"] = sample["tried"]
            summary["cli_crashes"] = sample["crashes"]
            summary["cli_hangs"] = sample["hangs"]
            details["cli"] = sample
        if "kills" not in skip:
            kills = run_kills(folder, server, random.Random(args.seed + 2), args.kill_rounds, stores)
            details["kills"] = kills
            for key in ("rounds", "kills", "rows_lost", "rows_duplicated", "integrity_failures", "rerun_failures",
                        "kills_before_first_write", "kills_between_writes", "kills_after_last_write", "kills_after_exit"):
                summary[f"kill_{key}"] = kills["tally"][key]
        if "concurrent" not in skip:
            for engine in ("sqlite", "postgresql"):
                outcome = run_concurrent(folder, server, engine, stores)
                details[f"concurrent_{engine}"] = outcome
                summary["concurrent_rows_lost"] += outcome["rows_lost"]
                summary["concurrent_rows_duplicated"] += outcome["rows_duplicated"] + outcome["reported_twice"]
                summary["concurrent_reported_missing"] += outcome["reported_missing"]
                summary["concurrent_crashed_writers"] += len(outcome["crashed_writers"])
                summary["integrity_failures"] += bool(outcome["integrity"])
                summary["web_requests"] += outcome["web_requests"]
                summary["web_errors"] += outcome["web_errors"]
                summary[f"web_p95_ms_{engine}"] = outcome["web_p95_ms"]
        server.shutdown()
    result = {
        "inputs_tried": summary["inputs"],
        "accepted": summary["accepted"],
        "rejected": summary["rejected"],
        "crashes": summary["crashes"] + summary["cli_crashes"] + summary["concurrent_crashed_writers"],
        "hangs": summary["hangs"] + summary["cli_hangs"],
        "peak_rss_mb": peak_rss,
        "kill_rounds": summary["kill_rounds"],
        "rows_lost": summary["rows_lost"] + summary["kill_rows_lost"] + summary["concurrent_rows_lost"],
        "rows_duplicated": summary["kill_rows_duplicated"] + summary["concurrent_rows_duplicated"],
        "engines": ["sqlite", "postgresql"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    flat = {key: summary[key] for key in sorted(summary) if key not in ("inputs", "crashes", "hangs", "accepted", "rejected")}
    result.update(flat)
    if args.details:
        args.details.write_text(json.dumps(details, indent=1, default=str), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
