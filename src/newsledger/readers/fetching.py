"""Fetch a feed or page over http(s): a timeout, a size cap, no other schemes."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from newsledger.errors import InputError, MalformedInput, TooLarge
from newsledger.readers.options import ReadOptions

__all__ = ["ALLOWED_SCHEMES", "Fetched", "check_url", "fetch", "fetch_if_changed"]

ALLOWED_SCHEMES = frozenset({"http", "https"})
USER_AGENT = "newsledger/0.1 (+https://github.com/newsledger)"


def check_url(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise MalformedInput(url, f"unsupported URL scheme {scheme!r}: only http and https are fetched")


class _HttpOnlyRedirects(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


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


def fetch_if_changed(url: str, options: ReadOptions, etag: str | None = None,
                     last_modified: str | None = None) -> Fetched:
    """Fetch ``url`` unless it is unchanged since the response that gave ``etag``/``last_modified``."""
    check_url(url)
    opener = build_opener(_HttpOnlyRedirects)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = Request(url, headers=headers)
    too_large = f"over max_bytes ({options.max_bytes:,} bytes)"
    try:
        with opener.open(request, timeout=options.fetch_timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise TooLarge(url, f"{int(declared):,} bytes, {too_large}")
            body = response.read(options.max_bytes + 1)
            validators = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except HTTPError as exc:
        if exc.code == 304:
            return Fetched(None, etag, last_modified)
        raise InputError(url, f"cannot fetch: HTTP {exc.code} {exc.reason}") from exc
    except URLError as exc:
        raise InputError(url, f"cannot fetch: {exc.reason}") from exc
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise InputError(url, f"cannot fetch: {exc}") from exc
    if len(body) > options.max_bytes:
        raise TooLarge(url, too_large)
    return Fetched(body, *validators)
