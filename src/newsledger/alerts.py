"""Alerts: rules over what an ingest added, kept in the store and optionally POSTed to a webhook.

Rules live in a TOML file::

    webhook = "https://example.org/hook"   # optional: every new alert is POSTed there as JSON

    [[rule]]
    name = "Deaths in Mariupol"            # optional; the kind and filters otherwise
    kind = "new_figure"                    # a new figure
    metric = "killed"                      # filters (each optional, words contained):
    place = "Mariupol"                     #   metric, place, population, claimant

    [[rule]]
    kind = "series_crosses"                # a claimant's running total reaches value
    metric = "fled"
    claimant = "refugee agency"
    value = 3000000

    [[rule]]
    kind = "series_moves"                  # a running total moves from the claimant's last one
    metric = "killed"                      # by more than percent
    percent = 25

    [[rule]]
    kind = "new_conflict"                  # a new flagged figure; filters: metric, flag
    flag = "drop"                          #   (drop, far_apart, single_outlet, unnamed)

    [[rule]]
    kind = "quote"                         # a quote by a speaker (name contained)
    speaker = "Lavrov"

``raise_alerts`` checks the rules against the articles one ingest stored and
keeps one alert per rule and figure, quote or flag: evaluating again raises
nothing twice.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from http.client import HTTPException
from pathlib import Path
from typing import Sequence
from urllib.request import Request

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsledger import settings
from newsledger.crossdoc.claimants import canonical_claimant
from newsledger.crossdoc.series import _figure_rows, points
from newsledger.errors import FetchTimeout, NewsledgerError, RulesError
from newsledger.readers.fetching import USER_AGENT, check_url, request_within
from newsledger.store import schema
from newsledger.store.writer import _insert_ignoring_existing, bump_revision, row_id

__all__ = ["Alert", "Rule", "Rules", "load_rules", "raise_alerts", "deliver"]

log = logging.getLogger(__name__)

KINDS = {
    "new_figure": ("metric", "place", "population", "claimant"),
    "series_crosses": ("metric", "place", "population", "claimant", "value"),
    "series_moves": ("metric", "place", "population", "claimant", "percent"),
    "new_conflict": ("metric", "flag"),
    "quote": ("speaker",),
}
REQUIRED = {"series_crosses": ("metric", "value"), "series_moves": ("metric", "percent"), "quote": ("speaker",)}


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: str
    metric: str | None = None
    place: str | None = None
    population: str | None = None
    claimant: str | None = None
    speaker: str | None = None
    flag: str | None = None
    value: float | None = None
    percent: float | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    rules: tuple[Rule, ...]
    webhook: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    rule: str
    kind: str
    message: str
    article_id: str
    subject_id: str
    created_at: datetime
    delivered: bool = False


def load_rules(path: str | Path) -> Rules:
    """Read and check a rules file; a ``RulesError`` names the rule and the field at fault."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from exc
    webhook = raw.get("webhook")
    if webhook is not None:
        try:
            check_url(str(webhook))
        except NewsledgerError as exc:
            raise RulesError(f"{path}: webhook: {exc}") from exc
    entries = raw.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise RulesError(f"{path}: no [[rule]] tables")
    return Rules(tuple(_rule(entry, f"{path}: rule {i + 1}") for i, entry in enumerate(entries)), webhook)


def _rule(entry: object, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: not a table")
    kind = entry.get("kind")
    if kind not in KINDS:
        raise RulesError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    allowed = set(KINDS[kind]) | {"name", "kind"}
    unknown = set(entry) - allowed
    if unknown:
        raise RulesError(f"{where} ({kind}): unknown field(s) {', '.join(sorted(unknown))}")
    for name in REQUIRED.get(kind, ()):
        if entry.get(name) in (None, ""):
            raise RulesError(f"{where} ({kind}): {name} is required")
    for name in ("value", "percent"):
        if name in entry and (not isinstance(entry[name], (int, float)) or entry[name] <= 0):
            raise RulesError(f"{where} ({kind}): {name} must be a number above 0")
    for name in set(entry) - {"value", "percent"}:
        if not isinstance(entry[name], str):
            raise RulesError(f"{where} ({kind}): {name} must be a string")
    described = ", ".join(f"{k}={entry[k]}" for k in KINDS[kind] if k in entry)
    name = entry.get("name") or f"{kind} {described}".strip()
    return Rule(**{f.name: entry.get(f.name) for f in fields(Rule) if f.name not in ("name", "kind")},
                name=name, kind=kind)


def _contains(wanted: str | None, text: str | None) -> bool:
    return wanted is None or (text is not None and wanted.casefold() in text.casefold())


def _figure_matches(rule: Rule, row) -> bool:
    return (rule.metric in (None, row.metric) and _contains(rule.place, row.place)
            and _contains(rule.population, row.population) and _claimant_matches(rule.claimant, row))


def _claimant_matches(wanted: str | None, row) -> bool:
    """The claimant as written contains the rule's words, or names the same source ("the U.N." counting refugees is UNHCR)."""
    if _contains(wanted, row.claimant):
        return True
    source = canonical_claimant(row.claimant, row.metric, row.side)
    return source is not None and (_contains(wanted, source.name) or source == canonical_claimant(wanted, row.metric, row.side))


def _found(rule: Rule, article_id: str, subject_id: str, message: str, now: datetime) -> dict:
    return {"id": row_id("alert", rule.name, subject_id), "rule": rule.name, "kind": rule.kind, "message": message,
            "article_id": article_id, "subject_id": subject_id, "created_at": now, "delivered": False}


def _count(value: int, qualifier: str) -> str:
    words = {"more_than": "more than ", "at_least": "at least ", "nearly": "nearly ", "about": "about ",
             "up_to": "up to ", "vague": "", "less_than": "less than "}
    return f"{words.get(qualifier, '')}{value:,}"


def _new_figures(connection, rule: Rule, new_ids: Sequence[str], now: datetime) -> list[dict]:
    f = schema.figures
    rows = connection.execute(sa.select(f).where(f.c.article_id.in_(new_ids), f.c.forecast.is_(False))).all()
    return [
        _found(rule, r.article_id, r.id, f"{_count(r.value, r.qualifier)} {r.metric} ({r.population or 'people'})"
               f"{' in ' + r.place if r.place else ''}, as of {r.as_of or '?'}, by {r.claimant or 'no one named'}", now)
        for r in rows if _figure_matches(rule, r)
    ]


def _series_changes(connection, rule: Rule, new_ids: Sequence[str], now: datetime) -> list[dict]:
    """Each new running total of a line compared with the line's previous one (by as-of date)."""
    rows = {r.id: r for r in _figure_rows(connection, [rule.metric])}
    every = [p for p in points(rows.values()) if p.tally and p.as_of and p.claimant_key]
    new = set(new_ids)
    found = []
    for point in every:
        row = rows[point.figure_id]
        if point.article_id not in new or not _figure_matches(rule, row):
            continue
        earlier = [p for p in every if p.series == point.series and p.claimant_key == point.claimant_key
                   and p.article_id not in new and p.as_of < point.as_of]
        if not earlier:
            continue
        before = max(earlier, key=lambda p: (p.as_of, p.value))
        line = f"{point.claimant_name}'s {point.series.replace('|', ' ').strip()}"
        if rule.kind == "series_crosses" and before.value < rule.value <= point.value:
            found.append(_found(rule, point.article_id, point.figure_id,
                                f"{line} reached {point.value:,} as of {point.as_of} (was {before.value:,} "
                                f"as of {before.as_of}), crossing {rule.value:,.0f}", now))
        if rule.kind == "series_moves" and before.value and \
                abs(point.value - before.value) / before.value * 100 > rule.percent:
            change = (point.value - before.value) / before.value * 100
            found.append(_found(rule, point.article_id, point.figure_id,
                                f"{line} moved {change:+.0f}% to {point.value:,} as of {point.as_of} "
                                f"(was {before.value:,} as of {before.as_of})", now))
    return found


def _new_conflicts(connection, rule: Rule, new_ids: Sequence[str], now: datetime) -> list[dict]:
    flags, f = schema.figure_flags, schema.figures
    query = (sa.select(flags.c.id, flags.c.kind, flags.c.detail, flags.c.series, f.c.article_id, f.c.metric)
             .join(f, f.c.id == flags.c.figure_id).where(f.c.article_id.in_(new_ids)))
    return [
        _found(rule, r.article_id, r.id, f"{r.kind} in {r.series.replace('|', ' ').strip()}: {r.detail}", now)
        for r in connection.execute(query) if rule.metric in (None, r.metric) and rule.flag in (None, r.kind)
    ]


def _new_quotes(connection, rule: Rule, new_ids: Sequence[str], now: datetime) -> list[dict]:
    q = schema.quotes
    rows = connection.execute(sa.select(q).where(q.c.article_id.in_(new_ids))).all()
    return [
        _found(rule, r.article_id, r.id, f"{r.speaker}: “{r.content[:300]}”", now)
        for r in rows if _contains(rule.speaker, r.speaker) and r.speaker
    ]


_CHECKS = {"new_figure": _new_figures, "series_crosses": _series_changes, "series_moves": _series_changes,
           "new_conflict": _new_conflicts, "quote": _new_quotes}


def raise_alerts(engine: Engine, rules: Rules, new_article_ids: Sequence[str]) -> list[Alert]:
    """The alerts the rules raise over the articles just stored, each kept once in the store."""
    if not new_article_ids or not rules.rules:
        return []
    now = datetime.now(timezone.utc)
    raised: list[Alert] = []
    with engine.begin() as connection:
        for rule in rules.rules:
            rows = _CHECKS[rule.kind](connection, rule, list(new_article_ids), now)
            if not rows:
                continue
            statement = _insert_ignoring_existing(connection, schema.alerts)
            for row in rows:  # one by one, to learn which are new (an existing id inserts nothing)
                if connection.execute(statement, row).rowcount:
                    raised.append(Alert(**row))
        if raised:
            bump_revision(connection)
    return raised


def deliver(engine: Engine, webhook: str, alerts: Sequence[Alert], seconds: float | None = None) -> int:
    """POST each alert to ``webhook`` as JSON, each answer within ``seconds`` (the ``fetch_seconds``
    setting by default); marks those the hook accepted; returns how many.

    A hook that gives no answer in time gets no more alerts this time, so that it
    holds a watch cycle for one deadline, not one per alert."""
    seconds = float(settings.get("fetch_seconds")) if seconds is None else seconds
    delivered = []
    for sent, alert in enumerate(alerts):
        body = json.dumps({"id": alert.id, "rule": alert.rule, "kind": alert.kind, "message": alert.message,
                           "article_id": alert.article_id, "created_at": alert.created_at.isoformat()}).encode()
        request = Request(webhook, data=body, method="POST",
                          headers={"Content-Type": "application/json", "User-Agent": USER_AGENT})
        try:
            if 200 <= request_within(request, seconds, lambda response: response.status) < 300:
                delivered.append(alert.id)
        except FetchTimeout as exc:
            log.warning("webhook %s: %s; %d alerts kept undelivered", webhook, exc.reason, len(alerts) - sent)
            break
        except (OSError, ValueError, HTTPException) as exc:  # refused, HTTP error: kept undelivered, logged
            log.warning("webhook %s refused alert %s: %s", webhook, alert.id, exc)
    if delivered:
        a = schema.alerts
        with engine.begin() as connection:
            connection.execute(a.update().where(a.c.id.in_(delivered)).values(delivered=True))
            bump_revision(connection)
    return len(delivered)
