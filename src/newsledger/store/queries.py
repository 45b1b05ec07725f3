"""Read the store: every query returns the frozen record dataclasses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from newsledger.models import Article, Entity, Event, Extraction, Figure, PublishedInference, Quote, Timex
from newsledger.store import schema

__all__ = ["Store", "ArticleInfo", "EntitySummary", "ResolvedPlace", "SpeakerSummary", "SearchHit"]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article's metadata and how much was extracted from it."""

    id: str
    source: str | None
    url: str | None
    title: str | None
    published: date | None
    published_inferred: PublishedInference | None
    origin: str | None
    chars: int
    figures: int
    quotes: int
    timexes: int
    events: int
    ingested_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EntitySummary:
    id: str
    canonical: str
    label: str
    mentions: int
    articles: int
    outlets: int


@dataclass(frozen=True, slots=True)
class ResolvedPlace:
    """A place text of the store and the GeoNames record it resolved to (None when unresolved)."""

    text: str
    name: str | None
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    relation: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    speaker: str
    quotes: int
    articles: int
    outlets: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    title: str | None
    source: str | None
    published: date | None
    snippet: str


def _inference(row) -> PublishedInference | None:
    if row.published_inferred is None:
        return None
    return PublishedInference(
        date=row.published_inferred,
        first=row.published_first,
        last=row.published_last,
        confidence=row.published_confidence,
        evidence=row.published_evidence,
    )


def _figure(row) -> Figure:
    m = row._mapping
    return Figure(**{k: m[k] for k in Figure.__dataclass_fields__})


def _quote(row) -> Quote:
    m = row._mapping
    return Quote(**{k: m[k] for k in Quote.__dataclass_fields__})


def _timex(row) -> Timex:
    m = row._mapping
    return Timex(**{k: m[k] for k in Timex.__dataclass_fields__})


def _event(row) -> Event:
    m = row._mapping
    values = {k: m[k] for k in Event.__dataclass_fields__}
    values["actors"] = tuple(values["actors"] or ())
    return Event(**values)


def _like(column, text: str):
    return sa.func.lower(column).contains(text.lower(), autoescape=True)


class Store:
    """Queries over one store's own rows; ``newsledger.ledger.Ledger`` adds the views across sources."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _all(self, query):
        with self.engine.connect() as connection:
            return connection.execute(query).all()

    def revision(self) -> tuple:
        """A value that changes whenever the store does: articles stored and cross-source
        updates made. Equal revisions mean equal answers, so callers may cache on it."""
        a, state = schema.articles, schema.store_state
        query = sa.select(
            sa.select(sa.func.count()).select_from(a).scalar_subquery(),
            sa.select(sa.func.max(a.c.ingested_at)).scalar_subquery(),
            sa.select(state.c.value).where(state.c.name == "crossdoc").scalar_subquery(),
        )
        with self.engine.connect() as connection:
            return tuple(connection.execute(query).one())

    # --- articles -------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many rows of each kind the store holds."""
        tables = {
            "articles": schema.articles,
            "figures": schema.figures,
            "quotes": schema.quotes,
            "timexes": schema.timexes,
            "events": schema.events,
            "entities": schema.entities,
            "mentions": schema.mentions,
        }
        with self.engine.connect() as connection:
            return {
                name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for name, table in tables.items()
            }

    def articles(
        self, *, source: str | None = None, since: str | None = None, until: str | None = None,
        order: str = "published", limit: int | None = None,
    ) -> list[ArticleInfo]:
        """Articles newest first: by publication date (known, else inferred), or with
        ``order="ingested"`` by when they were stored."""
        a = schema.articles

        def count_of(table):
            return (
                sa.select(sa.func.count()).select_from(table).where(table.c.article_id == a.c.id).scalar_subquery()
            )

        query = sa.select(
            a.c.id, a.c.source, a.c.url, a.c.title, a.c.published, a.c.published_inferred, a.c.published_first,
            a.c.published_last, a.c.published_confidence, a.c.published_evidence, a.c.origin, a.c.ingested_at,
            sa.func.length(a.c.text).label("chars"),
            count_of(schema.figures).label("figures"), count_of(schema.quotes).label("quotes"),
            count_of(schema.timexes).label("timexes"), count_of(schema.events).label("events"),
        )
        day = sa.func.coalesce(a.c.published, a.c.published_inferred)
        if source:
            query = query.where(_like(a.c.source, source))
        if since:
            query = query.where(day >= date.fromisoformat(since))
        if until:
            query = query.where(day <= date.fromisoformat(until))
        if order == "ingested":
            query = query.order_by(a.c.ingested_at.desc(), a.c.id).limit(limit)
        else:
            query = query.order_by(day.desc().nulls_last(), a.c.id).limit(limit)
        return [
            ArticleInfo(
                id=r.id, source=r.source, url=r.url, title=r.title, published=r.published,
                published_inferred=_inference(r), origin=r.origin, chars=r.chars, figures=r.figures,
                quotes=r.quotes, timexes=r.timexes, events=r.events, ingested_at=r.ingested_at,
            )
            for r in self._all(query)
        ]

    def resolve_id(self, prefix: str) -> str | None:
        """The full id of the one article whose id starts with ``prefix``."""
        rows = self._all(
            sa.select(schema.articles.c.id).where(schema.articles.c.id.startswith(prefix, autoescape=True)).limit(2)
        )
        return rows[0].id if len(rows) == 1 else None

    def article(self, article_id: str) -> Extraction | None:
        """An article with everything extracted from it; ``article_id`` may be a unique prefix."""
        full_id = self.resolve_id(article_id)
        if full_id is None:
            return None
        a = schema.articles
        row = self._all(sa.select(a).where(a.c.id == full_id))[0]
        article = Article(
            id=row.id, text=row.text, source=row.source, url=row.url, title=row.title,
            published=row.published, origin=row.origin,
        )

        def rows(table):
            return self._all(sa.select(table).where(table.c.article_id == full_id).order_by(table.c.start))

        m, e = schema.mentions, schema.entities
        entity_rows = self._all(
            sa.select(m.c.start, m.c.end, m.c.text, e.c.label, e.c.canonical, m.c.article_id)
            .join(e, e.c.id == m.c.entity_id)
            .where(m.c.article_id == full_id)
            .order_by(m.c.start)
        )
        return Extraction(
            article=article,
            figures=tuple(map(_figure, rows(schema.figures))),
            quotes=tuple(map(_quote, rows(schema.quotes))),
            timexes=tuple(map(_timex, rows(schema.timexes))),
            events=tuple(map(_event, rows(schema.events))),
            entities=tuple(Entity(**r._mapping) for r in entity_rows),
            published_inferred=_inference(row),
        )

    def outlets(self, article_ids) -> dict[str, str | None]:
        """The source (outlet) of each article id."""
        ids = sorted(set(article_ids))
        if not ids:
            return {}
        a = schema.articles
        return {r.id: r.source for r in self._all(sa.select(a.c.id, a.c.source).where(a.c.id.in_(ids)))}

    def sentences(self, figures) -> list[str]:
        """The sentence stating each figure (its quote when the sentence is not known)."""
        ids = sorted({f.article_id for f in figures})
        a = schema.articles
        texts = {r.id: r.text for r in self._all(sa.select(a.c.id, a.c.text).where(a.c.id.in_(ids)))} if ids else {}
        return [
            texts[f.article_id][f.sentence_start:f.sentence_end].strip()
            if f.sentence_start is not None and f.article_id in texts
            else f.quote
            for f in figures
        ]

    # --- extractions ----------------------------------------------------

    def figures(
        self, *, metric: str | None = None, population: str | None = None, side: str | None = None,
        place: str | None = None, claimant: str | None = None, since: str | None = None,
        until: str | None = None, article: str | None = None, limit: int | None = None,
    ) -> list[Figure]:
        f = schema.figures
        query = sa.select(f)
        if metric:
            query = query.where(f.c.metric == metric)
        if population:
            query = query.where(_like(f.c.population, population))
        if side:
            query = query.where(f.c.side == side)
        if place:
            query = query.where(_like(f.c.place, place))
        if claimant:
            query = query.where(_like(f.c.claimant, claimant))
        if since:
            query = query.where(f.c.as_of >= since)
        if until:
            query = query.where(f.c.as_of <= until)
        if article:
            query = query.where(f.c.article_id.startswith(article, autoescape=True))
        query = query.order_by(f.c.as_of.desc().nulls_last(), f.c.article_id, f.c.start).limit(limit)
        return [_figure(r) for r in self._all(query)]

    def quotes(
        self, *, speaker: str | None = None, search: str | None = None, kind: str | None = None,
        since: str | None = None, until: str | None = None, article: str | None = None, limit: int | None = None,
    ) -> list[Quote]:
        q, a = schema.quotes, schema.articles
        day = sa.func.coalesce(a.c.published, a.c.published_inferred)
        query = sa.select(q).join(a, a.c.id == q.c.article_id)
        if speaker:
            query = query.where(_like(q.c.speaker, speaker))
        if search:
            query = query.where(_like(sa.func.coalesce(q.c.content_full, q.c.content), search))
        if kind:
            query = query.where(q.c.kind == kind)
        if since:
            query = query.where(day >= date.fromisoformat(since))
        if until:
            query = query.where(day <= date.fromisoformat(until))
        if article:
            query = query.where(q.c.article_id.startswith(article, autoescape=True))
        query = query.order_by(day.desc().nulls_last(), q.c.article_id, q.c.start).limit(limit)
        return [_quote(r) for r in self._all(query)]

    def events(
        self, *, type: str | None = None, place: str | None = None, since: str | None = None,
        until: str | None = None, dated_only: bool = False, limit: int | None = None,
    ) -> list[Event]:
        """Events, dated ones oldest first, then the undated."""
        e = schema.events
        query = sa.select(e)
        if dated_only or since or until:
            query = query.where(e.c.date.is_not(None))
        if type:
            query = query.where(e.c.type == type)
        if place:
            query = query.where(_like(e.c.place, place))
        if since:
            query = query.where(e.c.date >= since)
        if until:
            query = query.where(e.c.date <= until)
        query = query.order_by(e.c.date.asc().nulls_last(), e.c.article_id, e.c.start).limit(limit)
        return [_event(r) for r in self._all(query)]

    def quote_speakers(self, *, search: str | None = None) -> list[tuple[str, str, str | None]]:
        """(speaker as stored, article id, outlet) for every quote with a speaker."""
        q, a = schema.quotes, schema.articles
        query = sa.select(q.c.speaker, q.c.article_id, a.c.source).join(a, a.c.id == q.c.article_id).where(
            q.c.speaker.is_not(None)
        )
        if search:
            query = query.where(_like(q.c.speaker, search))
        return [(row.speaker, row.article_id, row.source) for row in self._all(query)]

    def alert_rows(self, *, rule: str | None = None, since: str | None = None, limit: int | None = None) -> list[dict]:
        """Stored alerts as rows, newest first."""
        a = schema.alerts
        query = sa.select(a).order_by(a.c.created_at.desc(), a.c.id).limit(limit)
        if rule:
            query = query.where(_like(a.c.rule, rule))
        if since:
            query = query.where(a.c.created_at >= since)
        return [dict(r._mapping) for r in self._all(query)]

    def timexes(self, *, article: str | None = None, limit: int | None = None) -> list[Timex]:
        t = schema.timexes
        query = sa.select(t)
        if article:
            query = query.where(t.c.article_id.startswith(article, autoescape=True))
        return [_timex(r) for r in self._all(query.order_by(t.c.article_id, t.c.start).limit(limit))]

    def entities(self, *, label: str | None = None, search: str | None = None, limit: int | None = None) -> list[EntitySummary]:
        """Canonical entities with their mention, article and outlet counts, most mentioned first.

        A person's bare surname, known spellings and misspellings count under
        the full name (``newsledger.crossdoc.entities``, kept up to date on ingest)."""
        e, m, a, em = schema.entities, schema.mentions, schema.articles, schema.entity_merges
        target = sa.func.coalesce(em.c.target_id, e.c.id).label("target")
        mentions = sa.func.count().label("mentions")
        query = (
            sa.select(target, mentions, sa.func.count(sa.distinct(m.c.article_id)).label("articles"),
                      sa.func.count(sa.distinct(a.c.source)).label("outlets"))
            .select_from(m.join(e, e.c.id == m.c.entity_id).join(a, a.c.id == m.c.article_id)
                         .outerjoin(em, em.c.entity_id == e.c.id))
            .group_by(target)
        ).subquery()
        shown = e.alias("shown")
        counts = query
        query = sa.select(shown.c.id, shown.c.canonical, shown.c.label, counts.c.mentions, counts.c.articles,
                          counts.c.outlets).join(counts, counts.c.target == shown.c.id)
        if label:
            query = query.where(shown.c.label == label)
        if search:
            query = query.where(_like(shown.c.canonical, search))
        query = query.order_by(counts.c.mentions.desc(), shown.c.canonical).limit(limit)
        return [EntitySummary(r.id, r.canonical, r.label, r.mentions, r.articles, r.outlets) for r in self._all(query)]

    def resolve_places(self, texts) -> dict[str, ResolvedPlace]:
        """The GeoNames record each place text of the store resolved to."""
        pt, p = schema.place_texts, schema.places
        wanted = sorted({t for t in texts if t})
        result = {}
        for chunk in range(0, len(wanted), 500):
            query = sa.select(pt.c.text, pt.c.relation, pt.c.reason, p).outerjoin(p, p.c.id == pt.c.place_id).where(
                pt.c.text.in_(wanted[chunk : chunk + 500])
            )
            for r in self._all(query):
                result[r.text] = ResolvedPlace(r.text, r.name, r.country_code, r.admin1, r.latitude, r.longitude,
                                               r.geonames_id, r.relation, r.reason)
        return result

    # --- full text --------------------------------------------------------

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching all words of ``text``, best first (FTS5 on SQLite, tsvector on PostgreSQL)."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        a = schema.articles
        if self.engine.dialect.name == "sqlite":
            match = " ".join('"' + w.replace('"', "") + '"' for w in words)
            query = sa.text(
                "SELECT f.article_id, snippet(articles_fts, 2, '[', ']', '…', 16) AS snippet "
                "FROM articles_fts AS f WHERE articles_fts MATCH :match ORDER BY bm25(articles_fts) LIMIT :limit"
            ).bindparams(match=match, limit=limit)
        else:
            document = "to_tsvector('english', coalesce(title, '') || ' ' || text)"
            query = sa.text(
                f"SELECT id AS article_id, ts_headline('english', text, q, 'StartSel=[, StopSel=], MaxWords=30') "
                f"AS snippet FROM articles, plainto_tsquery('english', :words) AS q WHERE {document} @@ q "
                f"ORDER BY ts_rank({document}, q) DESC LIMIT :limit"
            ).bindparams(words=" ".join(words), limit=limit)
        with self.engine.connect() as connection:
            hits = connection.execute(query).all()
            if not hits:
                return []
            meta = {
                r.id: r
                for r in connection.execute(
                    sa.select(a.c.id, a.c.title, a.c.source, a.c.published).where(a.c.id.in_([h.article_id for h in hits]))
                )
            }
        return [
            SearchHit(h.article_id, meta[h.article_id].title, meta[h.article_id].source,
                      meta[h.article_id].published, h.snippet)
            for h in hits
        ]
