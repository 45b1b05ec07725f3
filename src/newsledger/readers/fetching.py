"""Fetch a feed or page over http(s): a timeout, a size cap, no other schemes."""

from __future__ import annotations

from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from newsledger.errors import InputError, MalformedInput, TooLarge
from newsledger.readers.options import ReadOptions

__all__ = ["ALLOWED_SCHEMES", "check_url", "fetch"]

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


def fetch(url: str, options: ReadOptions) -> bytes:
    """The body at ``url``, at most ``options.max_bytes`` long; an ``InputError`` otherwise."""
    check_url(url)
    opener = build_opener(_HttpOnlyRedirects)
    request = Request(url, headers={"User-Agent": USER_AGENT})
    too_large = f"over max_bytes ({options.max_bytes:,} bytes)"
    try:
        with opener.open(request, timeout=options.fetch_timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise TooLarge(url, f"{int(declared):,} bytes, {too_large}")
            body = response.read(options.max_bytes + 1)
    except HTTPError as exc:
        raise InputError(url, f"cannot fetch: HTTP {exc.code} {exc.reason}") from exc
    except URLError as exc:
        raise InputError(url, f"cannot fetch: {exc.reason}") from exc
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise InputError(url, f"cannot fetch: {exc}") from exc
    if len(body) > options.max_bytes:
        raise TooLarge(url, too_large)
    return body
