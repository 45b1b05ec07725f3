"""The web app: one FastAPI application over one store.

Every page has a JSON twin under ``/api`` served by the same handler
(``views.py``). Every JSON error has one shape, ``{"ok": false, "error":
..., "status": ...}``; HTML errors are a page. Headers forbid inline scripts,
framing and MIME sniffing; no CORS headers are sent. The app is read-only
unless it was created with a token, which ``POST /api/articles`` demands as
a bearer token.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import newsledger
from newsledger import settings
from newsledger.api.pages import templates
from newsledger.api import views
from newsledger.api.views import ResultCache, router

__all__ = ["create_app", "BodyTooLarge"]

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over max_body_bytes ({limit:,} bytes)")
        self.limit = limit


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes, by header or as they stream in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = _json_error(413, str(BodyTooLarge(self.limit)))
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


class BlankFiltersOff:
    """Drops empty query parameters: a form's blank filter (``?since=``) means no filter."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            scope = {**scope, "query_string": urlencode([(k, v) for k, v in pairs if v.strip()]).encode("latin-1")}
        await self.app(scope, receive, send)


def _json_error(status: int, error: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error, "status": status}, status_code=status)


def _error(request: Request, status: int, error: str, headers: dict | None = None):
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        response = _json_error(status, error)
    else:
        response = templates.TemplateResponse(
            request, "error.html", {"status": status, "error": error}, status_code=status
        )
    if headers:
        response.headers.update(headers)
    return response


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}" if where else problem.get("msg", "invalid"))
    return "; ".join(parts) or "invalid request"


@asynccontextmanager
async def _lifespan(app: FastAPI):
    yield
    views.INGEST_PROCESS.close()  # the process POST /api/articles ingests in, if one was started


def create_app(
    db_url: str | None = None, *, token: str | None = None, max_body_bytes: int | None = None
) -> FastAPI:
    """The web app over the store at ``db_url``; ``token`` enables ``POST /api/articles``."""
    app = FastAPI(
        title="newsledger",
        version=newsledger.__version__,
        description="Figures, quotes, dates, events and entities from conflict news, each with its source.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; the schema is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_lifespan,
    )
    app.state.db_url = db_url or str(settings.get("db"))
    app.state.ledger = newsledger.open(app.state.db_url)
    app.state.results = ResultCache(app.state.ledger)
    app.state.token = token if token is not None else (str(settings.get("token")) or None)
    app.state.places = {}  # place text -> (latitude, longitude) or None, filled by the map page

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return _error(request, 422, _validation_message(exc))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge):
        return _error(request, 413, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        # Starlette answers a crash outside the middleware stack, so SecurityHeaders never sees it.
        return _error(request, 500, "internal error", SECURITY_HEADERS)

    app.router.routes.extend(router.routes)  # flat, so app.routes lists every route
    app.mount("/static", StaticFiles(packages=[("newsledger.api", "static")]), name="static")
    app.add_middleware(BodyLimit, limit=max_body_bytes or int(settings.get("max_body_bytes")))
    app.add_middleware(BlankFiltersOff)
    app.add_middleware(SecurityHeaders)
    return app
