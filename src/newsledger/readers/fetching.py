"""Fetch a feed or page over http(s): a total deadline, a size cap, no other schemes.

The body may come gzip- or deflate-encoded (newsledger asks for gzip); it is
decompressed as it is read and refused as soon as it is longer than
``max_bytes`` once decompressed, so a small answer that inflates to
gigabytes (a gzip bomb) costs at most ``max_bytes`` of memory.

A socket timeout is no deadline: it restarts with every byte, so a server that
sends one byte a second holds a plain ``urlopen`` for ever. Here the whole
request (name lookup, connect, TLS handshake, status line, headers, body)
runs in a daemon thread while the caller waits for it at most ``seconds``.
At the deadline the caller gives up with ``FetchTimeout`` ("cannot fetch: no
complete answer in 30 s") and shuts down the request's sockets, which wakes
the thread wherever it reads (TLS handshake, status line, headers, body), so
it ends at once. A thread still looking up the name or connecting at the
deadline has no socket to shut yet; it ends when the resolver gives up or
the connect times out (the socket timeout is also ``seconds``), and its
late socket is closed unused.
"""

from __future__ import annotations

import socket
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from typing import TypeVar
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPHandler, HTTPRedirectHandler, HTTPSHandler, Request, build_opener

from newsledger.errors import BinaryInput, FetchTimeout, InputError, MalformedInput, TooLarge
from newsledger.readers.options import ReadOptions

__all__ = ["ALLOWED_SCHEMES", "Fetched", "check_url", "fetch", "fetch_if_changed", "request_within"]

ALLOWED_SCHEMES = frozenset({"http", "https"})
USER_AGENT = "newsledger/0.1 (+https://github.com/newsledger)"
READ_CHUNK = 1 << 16
# zlib window bits: 32 + 15 reads a gzip or a zlib header; -15 is raw deflate, which
# some servers send as "deflate" instead of the zlib stream the name stands for.
_WBITS = {"gzip": 32 + 15, "x-gzip": 32 + 15, "deflate": 32 + 15}

T = TypeVar("T")


def check_url(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise MalformedInput(url, f"unsupported URL scheme {scheme!r}: only http and https are fetched")


class _HttpOnlyRedirects(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Sockets:
    """The sockets one request opened (a redirect opens another), kept as duplicates so
    that another thread can shut them: a duplicate is the same connection, so shutting
    it wakes a read blocked on the original, even once the original is wrapped in TLS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._duplicates: list[socket.socket] = []
        self._shut = False

    def connect(self, address, timeout, source_address=None, **options) -> socket.socket:
        """``socket.create_connection``, remembering the socket."""
        sock = socket.create_connection(address, timeout, source_address, **options)
        with self._lock:
            if self._shut:  # the deadline passed while connecting
                sock.close()
                raise TimeoutError("the fetch deadline passed")
            self._duplicates.append(sock.dup())
        return sock

    def close(self, shut: bool) -> None:
        """Drop the duplicates; with ``shut``, first end their connections (a read on them returns)."""
        with self._lock:
            self._shut = self._shut or shut
            for duplicate in self._duplicates:
                if shut:
                    try:
                        duplicate.shutdown(socket.SHUT_RDWR)
                    except OSError:  # not connected any more
                        pass
                duplicate.close()
            self._duplicates.clear()


class _Tracked:
    """Mixin for urllib's HTTP and HTTPS handlers: their connections open sockets through ``sockets``."""

    def __init__(self, sockets: _Sockets, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sockets = sockets

    def do_open(self, http_class, req, **http_conn_args):
        def tracked(host, **options):
            connection = http_class(host, **options)
            connection._create_connection = self._sockets.connect  # http.client connects through this
            return connection

        return super().do_open(tracked, req, **http_conn_args)


class _TrackedHTTP(_Tracked, HTTPHandler):
    pass


class _TrackedHTTPS(_Tracked, HTTPSHandler):
    pass


def request_within(request: Request, seconds: float, read: Callable[[HTTPResponse], T]) -> T:
    """Open ``request`` and ``read`` its response, all of it within ``seconds``.

    Raises ``FetchTimeout`` past the deadline, else what opening or reading raised
    (``HTTPError``, ``URLError``, ``OSError``, or an ``InputError`` from ``read``).
    See the module's docstring for how the deadline is kept.
    """
    sockets = _Sockets()
    opener = build_opener(_HttpOnlyRedirects, _TrackedHTTP(sockets), _TrackedHTTPS(sockets))
    outcome: list = []  # what read() returned, or the exception raised
    done = threading.Event()

    def run() -> None:
        try:
            with opener.open(request, timeout=seconds) as response:
                outcome.append(read(response))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which raises it
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name=f"fetch {request.full_url}", daemon=True).start()
    in_time = False
    try:
        in_time = done.wait(seconds)
    finally:  # also on Ctrl-C while waiting
        sockets.close(shut=not in_time)
    if not in_time:
        raise FetchTimeout(request.full_url, f"cannot fetch: no complete answer in {seconds:g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


@dataclass(frozen=True, slots=True)
class Fetched:
    """A conditional fetch: ``body`` is None when the server said nothing changed (HTTP 304)."""

    body: bytes | None
    etag: str | None
    last_modified: str | None


def fetch(url: str, options: ReadOptions) -> bytes:
    """The body at ``url``, at most ``options.max_bytes`` long; an ``InputError`` otherwise."""
    body = fetch_if_changed(url, options).body
    assert body is not None  # no validators were sent, so the server cannot answer 304
    return body


def _read_body(url: str, response: HTTPResponse, max_bytes: int) -> bytes:
    """The body, decompressed if the server encoded it, at most ``max_bytes`` long."""
    too_large = f"over max_bytes ({max_bytes:,} bytes)"
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(url, f"{int(declared):,} bytes, {too_large}")
    coding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if coding == "identity":
        body = response.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise TooLarge(url, too_large)
        return body
    if coding not in _WBITS:
        raise BinaryInput(url, f"cannot fetch: the body is {coding!r}-encoded; only gzip and deflate are read")
    try:
        return _inflate(url, response, coding, max_bytes, too_large)
    except zlib.error as exc:
        raise MalformedInput(url, f"cannot fetch: the {coding}-encoded body is corrupt ({exc})") from None


def _inflate(url: str, response: HTTPResponse, coding: str, max_bytes: int, too_large: str) -> bytes:
    """Decompress as the body is read, never holding more than ``max_bytes`` of output."""
    inflater = None
    body = bytearray()
    read = 0
    while chunk := response.read(READ_CHUNK):
        read += len(chunk)
        if read > max_bytes:
            raise TooLarge(url, f"{coding}-encoded body {too_large}")
        if inflater is None:
            raw_deflate = coding == "deflate" and chunk[:1] != b"\x78"  # no zlib header
            inflater = zlib.decompressobj(-15 if raw_deflate else _WBITS[coding])
        while chunk:
            # max_length is never 0 here, which would mean no limit.
            body += inflater.decompress(chunk, max_bytes + 1 - len(body))
            if len(body) > max_bytes:
                raise TooLarge(url, f"{too_large} once {coding}-decompressed")
            chunk = inflater.unconsumed_tail
            if not chunk and inflater.eof and inflater.unused_data.startswith(b"\x1f\x8b"):
                chunk, inflater = inflater.unused_data, zlib.decompressobj(_WBITS[coding])  # another gzip member
    if inflater is None or not inflater.eof:
        raise MalformedInput(url, f"cannot fetch: the {coding}-encoded body is cut short")
    return bytes(body)


def fetch_if_changed(url: str, options: ReadOptions, etag: str | None = None,
                     last_modified: str | None = None) -> Fetched:
    """Fetch ``url`` unless it is unchanged since the response that gave ``etag``/``last_modified``;
    the whole answer within ``options.fetch_seconds``."""
    check_url(url)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    def read(response: HTTPResponse) -> Fetched:
        body = _read_body(url, response, options.max_bytes)
        return Fetched(body, response.headers.get("ETag"), response.headers.get("Last-Modified"))

    try:
        return request_within(Request(url, headers=headers), options.fetch_seconds, read)
    except HTTPError as exc:
        exc.close()
        if exc.code == 304 and (etag or last_modified):
            return Fetched(None, etag, last_modified)
        if exc.code == 304:  # a hostile or broken server: nothing was asked to compare with
            raise InputError(url, "cannot fetch: HTTP 304 Not Modified, though the request asked for no comparison")
        raise InputError(url, f"cannot fetch: HTTP {exc.code} {exc.reason}") from exc
    except URLError as exc:
        raise InputError(url, f"cannot fetch: {exc.reason}") from exc
    except (OSError, ValueError, HTTPException) as exc:  # resets, malformed URLs, answers cut short
        raise InputError(url, f"cannot fetch: {exc}") from exc
