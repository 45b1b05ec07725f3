"""Shared fixtures. The trained spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_DEV = SHARED / "gold" / "dev.jsonl"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"


def corpus_slice(path: Path, n: int, skip: int = 0) -> Path:
    """Write corpus lines ``skip`` to ``skip + n`` (JSONL, one article each) to ``path``."""
    with CORPUS.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= skip + n:
                break
            if i >= skip:
                dst.write(line)
    return path


@pytest.fixture(scope="session")
def nlp():
    """en_core_web_sm with every newsledger component (tests using it are `model` tests)."""
    from newsledger.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def gold_dev() -> list[dict]:
    """The hand-annotated dev articles of ../shared/gold/dev.jsonl."""
    with GOLD_DEV.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database on the local server, dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    name = f"newsledger_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh store URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


class SlowServer:
    """An HTTP server on 127.0.0.1 that answers too slowly, to test the fetch deadline.

    ``mode`` "headers" sends the status line and headers one byte every ``interval``
    seconds, "body" sends the headers at once and the body one byte at a time, and
    "silent" accepts the connection and never answers. Given time, the first two
    send the whole of ``body``; after ``gives_up`` seconds the server closes the
    connection, so a client without a deadline makes a test fail, not hang.
    """

    MODES = ("headers", "body", "silent")

    def __init__(self, mode: str, body: bytes, *, interval: float = 1.0, gives_up: float = 20.0) -> None:
        assert mode in self.MODES, mode
        self.mode, self.body, self.interval, self.gives_up = mode, body, interval, gives_up
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/feed.rss"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._answer, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, connection) -> None:
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(self.body))
        ends = time.monotonic() + self.gives_up
        with connection:
            connection.settimeout(self.gives_up)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    request += chunk
                if self.mode == "silent":
                    self._stop.wait(self.gives_up)
                    return
                at_once, trickled = (b"", head + self.body) if self.mode == "headers" else (head, self.body)
                connection.sendall(at_once)
                for byte in trickled:
                    if self._stop.wait(self.interval) or time.monotonic() > ends:
                        return
                    connection.sendall(bytes([byte]))
            except OSError:  # the client gave up: what is being tested
                return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)
        assert not any(thread.is_alive() for thread in self._threads), "a slow server thread did not stop"


@pytest.fixture
def slow_server():
    """``slow_server(mode, body, ...)`` starts a ``SlowServer``; each is closed after the test."""
    servers: list[SlowServer] = []

    def start(mode: str, body: bytes, **options) -> SlowServer:
        servers.append(SlowServer(mode, body, **options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


class RawServer:
    """An HTTP server on 127.0.0.1 that answers every request with what ``answer(request)``
    yields, byte strings sent as they come (raw: status line, headers and body), then closes.
    It stops sending when the client goes away."""

    def __init__(self, answer) -> None:
        self.answer = answer
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/feed.xml"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        with connection:
            connection.settimeout(10)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    request += chunk
                self.requests.append(request)
                for piece in self.answer(request):
                    if self._stop.is_set():
                        return
                    connection.sendall(piece)
            except OSError:  # the client stopped reading: often what is tested
                return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=5)


@pytest.fixture
def raw_server():
    """``raw_server(answer)`` starts a ``RawServer``; each is closed after the test."""
    servers: list[RawServer] = []

    def start(answer) -> RawServer:
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
