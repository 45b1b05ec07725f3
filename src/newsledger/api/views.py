"""The handlers: each reads the store through the Ledger and returns plain data.

``@view(path, template)`` registers a handler twice: at ``/api<path>`` it
answers JSON (``{"ok": true, ...}``, documented in the OpenAPI schema), at
``<path>`` it renders ``template`` with the same data. Filters are the CLI's;
lists take ``limit`` and ``offset`` and say the ``next_offset``.
"""

from __future__ import annotations

import calendar
import inspect
import json
import multiprocessing
import os
import secrets
import tempfile
import threading
import time
from collections import Counter, OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

import newsledger
from newsledger import vocabulary
from newsledger.api.pages import templates
from newsledger.jsonable import to_jsonable

__all__ = ["router", "METRICS"]

router = APIRouter()

# SPEC section 2: the metrics a figure can have, as nlp/data/metrics.json declares them.
METRICS = vocabulary.metric_names()
OVERVIEW_METRICS = tuple(m.name for m in vocabulary.metrics().values() if m.overview)
CHART_LINES = 8  # claimants drawn per series chart; the table lists them all
MAP_PLACES = 150
SEARCH_HITS = 500  # hits read for one search; facets count over them
UPLOAD_SUFFIXES = {".txt", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".html", ".htm", ".xml", ".rss", ".atom"}

ArticleId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{4,64}$", description="An article id or a unique prefix of it.")]
Text = Optional[str]


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int

    def cut(self, fetch) -> dict:
        """``fetch(n)`` reads the first n rows; returns this page of them and where the next starts."""
        rows = fetch(self.offset + self.limit + 1)
        items = rows[self.offset : self.offset + self.limit]
        more = len(rows) > self.offset + self.limit
        return {
            "items": items, "limit": self.limit, "offset": self.offset,
            "next_offset": self.offset + self.limit if more else None,
        }


def page_of(
    limit: Annotated[int, Query(ge=1, le=500, description="Rows per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


def ledger_of(request: Request) -> newsledger.Ledger:
    return request.app.state.ledger


Ledger = Annotated[newsledger.Ledger, Depends(ledger_of)]
Paged = Annotated[Page, Depends(page_of)]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class ResultCache:
    """Handler results kept per store revision, least recently used dropped first.

    The store changes only when articles are ingested, and whole-store
    aggregates (speakers, entities, series) take hundreds of milliseconds
    over thousands of articles; so each answer is computed once per
    ``Ledger.revision()`` (a cheap query made on every request) and served
    from memory until the store changes.
    """

    def __init__(self, ledger: newsledger.Ledger, size: int = 256) -> None:
        self.ledger = ledger
        self.size = size
        self.revision: tuple | None = None
        self.results: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, compute):
        revision = self.ledger.revision()
        with self.lock:
            if revision != self.revision:
                self.results.clear()
                self.revision = revision
            elif key in self.results:
                self.results.move_to_end(key)
                return self.results[key]
        value = compute()
        with self.lock:
            if revision == self.revision:
                self.results[key] = value
                while len(self.results) > self.size:
                    self.results.popitem(last=False)
        return value


def view(path: str, template: str, *, summary: str):
    """Register ``handler`` as JSON at ``/api<path>`` and as the HTML page ``<path>``.

    Both answer from the app's ``ResultCache``, keyed on the handler and its
    arguments; HTTP errors the handler raises are not cached."""

    def register(handler):
        signature = inspect.signature(handler)
        wants_request = "request" in signature.parameters

        def run(request: Request, kwargs: dict):
            key = (handler.__name__, *sorted((k, v) for k, v in kwargs.items() if k != "ledger"))
            call = (lambda: handler(request=request, **kwargs)) if wants_request else (lambda: handler(**kwargs))
            return request.app.state.results.get(key, call)

        def as_json(request: Request, **kwargs):
            return {"ok": True, **to_jsonable(run(request, kwargs))}

        def as_html(request: Request, **kwargs):
            context = run(request, kwargs)
            return templates.TemplateResponse(request, template, {**context, "query": dict(request.query_params)})

        with_request = signature if wants_request else signature.replace(
            parameters=[inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
            + list(signature.parameters.values())
        )
        as_json.__signature__ = with_request
        as_html.__signature__ = with_request
        router.add_api_route(
            "/api" + path.rstrip("/") if path != "/" else "/api/overview", as_json, methods=["GET"],
            name="api_" + handler.__name__, summary=summary, description=handler.__doc__,
        )
        router.add_api_route(
            path, as_html, methods=["GET"], name=handler.__name__, include_in_schema=False,
            response_class=HTMLResponse,
        )
        return handler

    return register


# --- figures ------------------------------------------------------------------


def _figure_rows(ledger: newsledger.Ledger, figures) -> list[dict]:
    outlets = ledger.outlets(f.article_id for f in figures)
    sentences = ledger.sentences(figures)
    return [
        {**to_jsonable(f), "outlet": outlets.get(f.article_id), "sentence": s}
        for f, s in zip(figures, sentences)
    ]


def _chart_day(as_of: str) -> str | None:
    """A point's x: ISO days as they are, months at their first day; weeks and years are not drawn."""
    if len(as_of) == 10:
        return as_of
    if len(as_of) == 7 and as_of[4] == "-":
        return as_of + "-01"
    return None


def _chart_point(point, day: str, value: int, reports: int) -> dict:
    first = point.reports[0].figure if point.reports else None
    return {"x": day, "y": value, "qualifier": point.qualifier, "reports": reports,
            "href": f"/articles/{first.article_id}#figure-{first.start}" if first else None}


def _chart(series) -> dict:
    """A series as the chart script reads it: a line per source through its value of each day, each point
    linking to a sentence that states it; the legend names the source once however it was written."""
    lines = []
    for line in series.lines[:CHART_LINES]:
        stating = {(p.as_of, p.value): p for p in sorted(line.points, key=lambda p: len(p.reports))}
        points = [_chart_point(stating[(day, value)], day, value, sum(len(p.reports) for p in line.points if p.as_of == day))
                  for day, value in line.days]
        if not points:  # only months or vague counts: every point as it is
            points = [_chart_point(p, _chart_day(p.as_of), p.value, len(p.reports))
                      for p in line.points if _chart_day(p.as_of)]
        if points:
            lines.append({"label": line.claimant, "points": points})
    return {"key": series.key, "lines": lines}


@view("/figures", "figures.html", summary="The figures ledger, and the series chart of the chosen metric")
def figures(
    ledger: Ledger,
    page: Paged,
    metric: Annotated[Optional[Literal[METRICS]], Query(description="SPEC section 2 metric.")] = None,
    population: Annotated[Text, Query(max_length=200, description="Who or what is counted (contains).")] = None,
    side: Annotated[Optional[Literal["russian", "ukrainian"]], Query()] = None,
    place: Annotated[Text, Query(max_length=200, description="Place (contains).")] = None,
    claimant: Annotated[Text, Query(max_length=200, description="Claimant (contains).")] = None,
    since: Annotated[Optional[date], Query(description="As of this day or later.")] = None,
    until: Annotated[Optional[date], Query(description="As of this day or earlier.")] = None,
    article: Annotated[Optional[str], Query(pattern=r"^[0-9a-f]{1,64}$", description="Article id or prefix.")] = None,
    series: Annotated[Text, Query(max_length=300, description="Series key to chart (metric|population|side|place).")] = None,
):
    """Figures newest first, each with its outlet and sentence; with a metric, its series, one line per claimant."""
    filters = dict(metric=metric, population=population, side=side, place=place, claimant=claimant)
    result = page.cut(lambda n: _figure_rows(ledger, ledger.figures(
        **filters, since=_iso(since), until=_iso(until), article=article, limit=n,
    )))
    found = ledger.series(metric, population=population, side=side, place=place, claimant=claimant) if metric else []
    chosen = next((s for s in found if s.key == series), found[0] if found else None)
    result.update(
        metrics=METRICS,
        series_keys=[s.key for s in found[:50]],
        chart=_chart(chosen) if chosen else None,
    )
    return result


@view("/conflicts", "conflicts.html", summary="Figures flagged as disagreeing, each with the figure it disagrees with")
def conflicts(
    ledger: Ledger,
    page: Paged,
    metric: Annotated[Optional[Literal[METRICS]], Query()] = None,
    kind: Annotated[Optional[Literal["drop", "far_apart", "single_outlet", "unnamed"]], Query()] = None,
):
    """Flagged figures: a drop, two claims far apart, an unnamed or single-outlet claim; with both sentences."""
    return page.cut(lambda n: ledger.conflicts(metric=metric, kind=kind, limit=n))


# --- quotes and events ----------------------------------------------------------


@view("/quotes", "quotes.html", summary="Statements (quotes grouped across articles) with the outlets reporting each")
def quotes(
    ledger: Ledger,
    page: Paged,
    speaker: Annotated[Text, Query(max_length=200, description="Speaker name (contains).")] = None,
    search: Annotated[Text, Query(max_length=200, description="Words in the quote (contains).")] = None,
    min_outlets: Annotated[int, Query(ge=1, le=1000)] = 1,
):
    """Statements most widely reported first, and the most quoted speakers."""
    result = page.cut(lambda n: ledger.statements(speaker=speaker, search=search, min_outlets=min_outlets, limit=n))
    result["speakers"] = ledger.speakers(search=speaker, limit=25)
    return result


@view("/timeline", "timeline.html", summary="Dated events, oldest first, with their reports and outlet counts")
def timeline(
    ledger: Ledger,
    page: Paged,
    type: Annotated[Text, Query(max_length=50, pattern=r"^[a-z_]+$", description="Event type (SPEC section 5).")] = None,
    place: Annotated[Text, Query(max_length=200, description="Place (contains).")] = None,
    since: Annotated[Optional[date], Query()] = None,
    until: Annotated[Optional[date], Query()] = None,
):
    """Events by date; ``outlets`` counts distinct outlets, ``independent`` counts copies of one article once."""
    return page.cut(lambda n: ledger.timeline(type=type, place=place, since=_iso(since), until=_iso(until), limit=n))


@view("/speakers", "speakers.html", summary="Who is quoted most: quotes, articles and outlets per speaker")
def speakers(
    ledger: Ledger,
    page: Paged,
    search: Annotated[Text, Query(max_length=200, description="Speaker name (contains).")] = None,
):
    """Speakers most quoted first; known spellings of one person count under one name."""
    return page.cut(lambda n: ledger.speakers(search=search, limit=n))


# --- entities and duplicates ------------------------------------------------------

ENTITY_TYPES = ("person", "organisation", "government", "place", "group")


@view("/entities", "entities.html", summary="People, bodies and places by canonical name, most mentioned first")
def entities(
    ledger: Ledger,
    page: Paged,
    type: Annotated[Optional[Literal[ENTITY_TYPES]], Query(description="Entity type.")] = None,
    search: Annotated[Text, Query(max_length=200, description="Name (contains).")] = None,
):
    """Canonical entities with mention, article and outlet counts; a surname counts under the full name."""
    return page.cut(lambda n: ledger.entities(label=type, search=search, limit=n))


@view("/duplicates", "duplicates.html", summary="Clusters of near-identical articles, each with its original")
def duplicates(ledger: Ledger, page: Paged):
    """Largest clusters first; each copy carries its estimated similarity to the original."""
    return page.cut(lambda n: ledger.duplicates()[:n])


@view("/alerts", "alerts.html", summary="Alerts raised by watch rules, newest first")
def alerts(
    ledger: Ledger,
    page: Paged,
    rule: Annotated[Text, Query(max_length=200, description="Rule name (contains).")] = None,
    since: Annotated[Optional[date], Query(description="Raised on or after this day.")] = None,
):
    """Alerts from `newsledger watch --alerts RULES.toml`; ``created_at`` is when the rule fired."""
    return page.cut(lambda n: ledger.alerts(rule=rule, since=_iso(since), limit=n))


# --- places -------------------------------------------------------------------


def _coordinates(cache: dict, names: list[str]) -> dict:
    """Latitude and longitude of each place name, when the offline geocoder is installed."""
    try:
        from newsledger.places import geocoder
    except ImportError:
        return {}
    for name in names:
        if name not in cache:
            try:
                place = geocoder.geocode(name).place
            except Exception:  # noqa: BLE001 - the map still draws without this place's dot
                place = None
            cache[name] = (place.latitude, place.longitude) if place else None
    return {name: cache[name] for name in names if cache.get(name)}


@view("/map", "map.html", summary="Places with how many figures and events name them, and coordinates when known")
def places(request: Request, ledger: Ledger, page: Annotated[Page, Depends(page_of)]):
    """Place entities, most mentioned first, with figure and event counts and coordinates when geocoded."""
    figures_at = Counter((f.place or "").casefold() for f in ledger.figures() if f.place)
    events_at = Counter((e.place or "").casefold() for e in ledger.events() if e.place)

    def fetch(n: int) -> list[dict]:
        found = ledger.entities(label="place", limit=min(n, MAP_PLACES))
        located = _coordinates(request.app.state.places, [e.canonical for e in found])
        return [
            {
                "name": e.canonical, "mentions": e.mentions, "articles": e.articles,
                "figures": figures_at.get(e.canonical.casefold(), 0), "events": events_at.get(e.canonical.casefold(), 0),
                "lat": located.get(e.canonical, (None, None))[0], "lon": located.get(e.canonical, (None, None))[1],
            }
            for e in found
        ]

    return page.cut(fetch)


# --- articles -----------------------------------------------------------------


@view("/articles", "articles.html", summary="Stored articles, newest first")
def articles(
    ledger: Ledger,
    page: Paged,
    source: Annotated[Text, Query(max_length=200, description="Outlet (contains).")] = None,
    since: Annotated[Optional[date], Query()] = None,
    until: Annotated[Optional[date], Query()] = None,
    order: Annotated[Literal["published", "ingested"], Query(description="Newest published, or newest stored, first.")] = "published",
):
    """Articles with their outlet, date (known or inferred), when they were stored and how much was extracted."""
    return page.cut(
        lambda n: ledger.articles(source=source, since=_iso(since), until=_iso(until), order=order, limit=n)
    )


@view("/articles/{article_id}", "article.html", summary="One article with everything extracted from it")
def article(ledger: Ledger, article_id: ArticleId):
    """The article's text and its figures, quotes, dates, events and entities, with character offsets."""
    extraction = ledger.article(article_id)
    if extraction is None:
        raise HTTPException(404, f"no article with id {article_id}")
    return {"extraction": extraction}


@view("/search", "search.html", summary="Full-text search over articles, with outlet and month facets")
def search(
    ledger: Ledger,
    page: Paged,
    q: Annotated[str, Query(max_length=200, description="Words that must all occur.")] = "",
    outlet: Annotated[Text, Query(max_length=200, description="Only this outlet (exact).")] = None,
    since: Annotated[Optional[date], Query()] = None,
    until: Annotated[Optional[date], Query()] = None,
):
    """Best matches first; facets count the matches per outlet and per month before the outlet/date filter."""
    hits = ledger.search(q, limit=SEARCH_HITS) if q.strip() else []
    outlets = Counter(h.source or "unknown" for h in hits)
    months = Counter((h.published.year, h.published.month) for h in hits if h.published)
    chosen = [
        h for h in hits
        if (not outlet or (h.source or "unknown") == outlet)
        and (not since or (h.published and h.published >= since))
        and (not until or (h.published and h.published <= until))
    ]
    result = page.cut(lambda n: chosen[:n])
    result.update(
        q=q, total=len(chosen),
        facets={
            "outlet": [{"outlet": name, "count": n} for name, n in outlets.most_common()],
            "month": [
                {"month": f"{y}-{m:02d}", "count": n, "since": date(y, m, 1).isoformat(),
                 "until": date(y, m, calendar.monthrange(y, m)[1]).isoformat()}
                for (y, m), n in sorted(months.items())
            ],
        },
    )
    return result


# --- overview -----------------------------------------------------------------


@view("/", "overview.html", summary="What the store holds: counts, outlets, dates, latest figures, conflicts, speakers")
def overview(ledger: Ledger):
    """Counts, outlets and date range; the latest figures of the main series; newest conflicts; top speakers."""
    infos = ledger.articles()
    days = sorted(i.published or i.published_inferred.date for i in infos if i.published or i.published_inferred)
    latest = []
    for metric in OVERVIEW_METRICS:
        found = ledger.series(metric)
        if found:
            main = found[0]
            latest.append({
                "metric": metric, "key": main.key, "range": main.latest_range,
                "latest": [line.latest for line in main.lines[:3]], "chart": _chart(main),
            })
    flagged = sorted(ledger.conflicts(), key=lambda c: c.figure.figure.as_of or "", reverse=True)[:8]
    return {
        "counts": ledger.counts(),
        "outlets": dict(Counter(i.source or "unknown" for i in infos).most_common()),
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "series": latest,
        "conflicts": flagged,
        "speakers": ledger.speakers(limit=10),
    }


# --- writing ------------------------------------------------------------------


def _check_token(request: Request) -> None:
    expected = request.app.state.token
    if not expected:
        raise HTTPException(403, "read-only: this server was started without a token, so it accepts no articles")
    given = request.headers.get("authorization", "")
    scheme, _, credentials = given.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(credentials.strip().encode(), expected.encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


def _json_articles(body: bytes) -> list[dict]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise HTTPException(400, f"the body is not JSON: {exc}") from None
    if isinstance(payload, dict) and isinstance(payload.get("articles"), list):
        payload = payload["articles"]
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise HTTPException(400, 'expected an article object, a list of them, or {"articles": [...]}')
    return items


def _ingest(db_url: str, name: str, data: bytes) -> dict:
    """Ingest one uploaded file (written to a private temporary folder) and report. Runs in the ingest process."""
    with tempfile.TemporaryDirectory(prefix="newsledger-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        report = newsledger.ingest([path], db=db_url)
    result = to_jsonable(report)
    for rejection in result["rejected"]:
        rejection["item"] = rejection["item"].replace(str(path), name)
    return result


class IngestProcess:
    """The process that ``POST /api/articles`` ingests in: started on the first post, then kept,
    one for every app in this process, so the pipeline is loaded once.

    There an ingest runs in its process's main thread, where ``item_seconds``
    holds (its limit is a signal, which only a main thread receives): in one of
    the server's threads an article that makes the pipeline crawl (190,000
    quotation marks in a row) held its request for ever. What a hostile upload
    costs in memory is also that process's, not the server's. A process that
    dies is replaced by the next post; one whose server is gone (stopped, or
    killed) ends within a second.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def run(self, db_url: str, name: str, data: bytes) -> dict:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_end_with_parent, initargs=(os.getpid(),))
            executor = self._executor
        try:
            return executor.submit(_ingest, db_url, name, data).result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False)
            raise HTTPException(500, "the ingest process ended before answering; batches it had written are "
                                     "stored, posting again stores the rest") from None

    def close(self) -> None:
        """Stop the process; an ingest it is running ends with it (its written batches stay)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _end_with_parent(parent: int) -> None:
    """In the ingest process: exit once the server that started it is gone. A process pool's
    worker would otherwise wait for work for ever, and a server stopped by a signal never
    runs the exit hooks that stop it."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="end with the server", daemon=True).start()


INGEST_PROCESS = IngestProcess()


@router.post(
    "/api/articles", status_code=201, name="api_ingest",
    summary="Ingest articles (needs the server's bearer token)",
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": {"oneOf": [
            {"type": "object", "description": "One article: text, title, source, url, date."},
            {"type": "array", "items": {"type": "object"}},
            {"type": "object", "properties": {"articles": {"type": "array", "items": {"type": "object"}}}},
        ]}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary", "description": "A text, JSONL, CSV, HTML or feed file."},
        }}},
    }}},
)
async def ingest_articles(request: Request):
    """Read, extract and store the posted articles; answers the ingest report (ingested, duplicates, rejected)."""
    _check_token(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        items = _json_articles(await request.body())
        name, data = "upload.jsonl", "\n".join(json.dumps(item) for item in items).encode()
    elif kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(400, "the form needs a file field named 'file'")
        suffix = Path(upload.filename or "").suffix.lower()
        name, data = "upload" + (suffix if suffix in UPLOAD_SUFFIXES else ".txt"), await upload.read()
    else:
        raise HTTPException(415, "send application/json or multipart/form-data")
    report = await run_in_threadpool(INGEST_PROCESS.run, request.app.state.db_url, name, data)
    return {"ok": True, **report}
