"""Latency of the JSON API's list endpoints over a whole store.

    python benchmarks/api_latency.py --db sqlite:///corpus.db [--requests 40]

Starts `newsledger serve` on a free local port (uvicorn, one process, as a
user runs it), waits for it, then asks each endpoint below once (``first_ms``:
the answer is computed, as after every change to the store) and then
``--requests`` times more (answered from the server's cache until the store
changes), over HTTP. Prints one JSON object: first, p50, p95 and max in
milliseconds per endpoint, and the size of the store.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx

from newsledger.ledger import Ledger
from newsledger.store import open_engine

ENDPOINTS = [
    "/api/overview",
    "/api/articles",
    "/api/figures",
    "/api/figures?metric=fled",
    "/api/conflicts",
    "/api/quotes",
    "/api/quotes?speaker=Zelensky",
    "/api/speakers",
    "/api/timeline",
    "/api/entities",
    "/api/entities?type=person",
    "/api/duplicates",
    "/api/map",
    "/api/search?q=Mariupol",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            httpx.get(base + "/api/articles?limit=1", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("server did not answer within a minute")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of an ingested store")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per endpoint")
    args = parser.parse_args()
    counts = Ledger(open_engine(args.db)).counts()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "newsledger", "serve", "--db", args.db, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        _wait(base, server)
        results = {}
        with httpx.Client(base_url=base, timeout=120) as client:
            for path in ENDPOINTS:
                started = time.perf_counter()
                client.get(path).raise_for_status()  # the first answer after a store change is computed
                cold = (time.perf_counter() - started) * 1000
                times = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                results[path] = {
                    "first_ms": round(cold, 1),
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(_percentile(times, 0.95), 1),
                    "max_ms": round(max(times), 1),
                    "bytes": len(response.content),
                }
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({
        "db": args.db.split("://")[0],
        "articles": counts["articles"],
        "figures": counts["figures"],
        "quotes": counts["quotes"],
        "requests_per_endpoint": args.requests,
        "endpoints": results,
        "worst_p95_ms": max(r["p95_ms"] for r in results.values()),
        "worst_first_ms": max(r["first_ms"] for r in results.values()),
    }, indent=2))


if __name__ == "__main__":
    main()
