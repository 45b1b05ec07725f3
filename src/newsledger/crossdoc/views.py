"""What the cross-source layer shows: series, conflicts, duplicate clusters,
statements reported by many outlets, and events with their reports.

Each view returns frozen dataclasses holding the records with their
provenance (article, outlet, sentence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsledger.crossdoc.claimants import canonical_claimant, contains_words, words
from newsledger.crossdoc.series import points
from newsledger.models import Event, Figure, Quote
from newsledger.store import schema

__all__ = [
    "SeriesPoint",
    "ClaimantLine",
    "Series",
    "SeriesClaimant",
    "claimants",
    "Evidence",
    "Conflict",
    "DuplicateCluster",
    "Report",
    "TimelineEntry",
    "Statement",
    "series",
    "conflicts",
    "duplicate_clusters",
    "timeline",
    "statements",
    "PlaceSummary",
    "places",
    "geojson",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A figure with where it was said."""

    figure: Figure
    outlet: str | None
    sentence: str
    published: str | None = None  # the article's date (given or inferred)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    as_of: str  # the day the figure is true as of
    value: int
    qualifier: str
    claimant: str
    reports: tuple[Evidence, ...]  # every article stating this value for this day

    @property
    def reported(self) -> str | None:
        """The first day an article reported it (later reports restate it)."""
        days = [r.published for r in self.reports if r.published]
        return min(days) if days else None


@dataclass(frozen=True, slots=True)
class ClaimantLine:
    claimant: str  # the source as shown ("UNHCR (UN Refugee Agency)")
    points: tuple[SeriesPoint, ...]  # oldest first
    key: str = ""
    names: tuple[tuple[str, int], ...] = ()  # the claimants as written folded into this line, with figure counts

    @property
    def latest(self) -> SeriesPoint:
        return self.points[-1]

    @property
    def reports(self) -> int:
        return sum(len(p.reports) for p in self.points)

    @property
    def days(self) -> tuple[tuple[str, int], ...]:
        """One value per as-of day: the value most reports give (the higher on a tie), days only, oldest first;
        vague counts ("thousands") are left out.

        Outlets restate, round and now and then misread a count; the value
        most of them give for a day is the line's value for that day.
        """
        votes: dict[str, dict[int, int]] = {}
        for p in self.points:
            if len(p.as_of) == 10 and p.qualifier != "vague":  # "thousands" is no count of the day
                day = votes.setdefault(p.as_of, {})
                day[p.value] = day.get(p.value, 0) + len(p.reports)
        return tuple((d, max(v.items(), key=lambda item: (item[1], item[0]))[0]) for d, v in sorted(votes.items()))


@dataclass(frozen=True, slots=True)
class Series:
    """One series: (metric, population, side, place), a line per claimant."""

    key: str
    lines: tuple[ClaimantLine, ...]

    @property
    def latest_range(self) -> tuple[int, int] | None:
        """The range of the claimants' latest figures: the best current estimate, never averaged."""
        values = []
        for line in self.lines:
            days = line.days  # computed on each access
            values.append(days[-1][1] if days else line.latest.value)
        return (min(values), max(values)) if values else None


@dataclass(frozen=True, slots=True)
class SeriesClaimant:
    """A source's line in one series, for finding series: how many points, days and reports it has."""

    claimant: str
    key: str
    series: str
    points: int
    days: int
    reports: int
    outlets: int
    first: str
    last: str
    names: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # drop | far_apart | unnamed | single_outlet
    series: str
    detail: str
    figure: Evidence
    other: Evidence | None


@dataclass(frozen=True, slots=True)
class Copy:
    article_id: str
    source: str | None
    title: str | None
    published: date | None
    similarity: float


@dataclass(frozen=True, slots=True)
class DuplicateCluster:
    original: Copy
    copies: tuple[Copy, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Where one event or statement was reported."""

    article_id: str
    outlet: str | None
    text: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    event: Event  # the first report
    reports: tuple[Report, ...]
    outlets: int  # distinct outlets reporting it
    independent: int  # distinct reporting articles once copies of one article count once


@dataclass(frozen=True, slots=True)
class Statement:
    quote: Quote  # the first report
    reports: tuple[Report, ...]
    outlets: int
    independent: int


def _figure(row) -> Figure:
    m = row._mapping
    return Figure(**{k: m[k] for k in Figure.__dataclass_fields__})


def _evidence(connection: Connection, figure_ids: Sequence[str]) -> dict[str, Evidence]:
    if not figure_ids:
        return {}
    f, a = schema.figures, schema.articles
    rows = connection.execute(
        sa.select(f, a.c.source.label("outlet"), a.c.text.label("article_text"),
                  sa.func.coalesce(a.c.published, a.c.published_inferred).label("article_published"))
        .join(a, a.c.id == f.c.article_id)
        .where(f.c.id.in_(sorted(set(figure_ids))))
    ).all()
    result = {}
    for row in rows:
        figure = _figure(row)
        if figure.sentence_start is not None:
            sentence = row.article_text[figure.sentence_start : figure.sentence_end].strip()
        else:
            sentence = figure.quote
        published = str(row.article_published) if row.article_published else None
        result[row.id] = Evidence(figure, row.outlet, sentence, published)
    return result


def _matches_claimant(query: str, metric: str, line: ClaimantLine, sides: set[str | None]) -> bool:
    """Whether a ``--claimant`` query picks this line: the source it names, else words of the line's names."""
    for side in sides:
        source = canonical_claimant(query, metric, side)
        if source is not None and source.key == line.key:
            return True
    wanted = words(query)
    return any(contains_words(words(name), wanted) for name in (line.claimant, line.key, *(n for n, _ in line.names)))


def series(
    connection: Connection, metric: str, *, population: str | None = None, side: str | None = None,
    place: str | None = None, claimant: str | None = None,
) -> list[Series]:
    """The series of ``metric`` matching the filters, most reported first; one line per source.

    ``claimant`` picks the lines of the source it names ("the UN refugee
    agency", "Grandi") or, failing that, the lines whose names contain its
    words ("refugee", "human rights").
    """
    from newsledger.crossdoc.series import _figure_rows

    by_line: dict[tuple[str, str], dict[tuple, list[str]]] = {}
    names: dict[tuple[str, str], dict[str, int]] = {}
    display: dict[str, str] = {}
    sides: dict[tuple[str, str], set[str | None]] = {}
    for p in points(_figure_rows(connection, [metric])):
        _, pop, p_side, p_place = p.series.split("|")
        if population and population.casefold() not in pop:
            continue
        if side and side != p_side:
            continue
        if place and place.casefold() not in p_place:
            continue
        if not p.as_of or not p.claimant_key:
            continue
        line_id = (p.series, p.claimant_key)
        display.setdefault(p.claimant_key, p.claimant_name)
        written = names.setdefault(line_id, {})
        written[p.claimant] = written.get(p.claimant, 0) + 1
        sides.setdefault(line_id, set()).add(p_side or None)
        by_line.setdefault(line_id, {}).setdefault((p.as_of, p.value, p.qualifier), []).append(p.figure_id)
    evidence = _evidence(connection, [i for by_point in by_line.values() for ids in by_point.values() for i in ids])
    grouped: dict[str, list[ClaimantLine]] = {}
    for (key, ckey), by_point in by_line.items():
        pts = tuple(
            SeriesPoint(as_of, value, qualifier, display[ckey], tuple(evidence[i] for i in sorted(ids)))
            for (as_of, value, qualifier), ids in sorted(by_point.items())
        )
        folded = tuple(sorted(names[(key, ckey)].items(), key=lambda item: (-item[1], item[0])))
        line = ClaimantLine(display[ckey], pts, ckey, folded)
        if claimant and not _matches_claimant(claimant, metric, line, sides[(key, ckey)]):
            continue
        grouped.setdefault(key, []).append(line)
    result = []
    for key, claimant_lines in grouped.items():
        claimant_lines.sort(key=lambda line: (-line.reports, line.claimant))
        result.append(Series(key, tuple(claimant_lines)))
    result.sort(key=lambda s: (-sum(line.reports for line in s.lines), s.key))
    return result


def claimants(
    connection: Connection, metric: str, *, population: str | None = None, side: str | None = None,
    place: str | None = None,
) -> list[SeriesClaimant]:
    """Every source found for ``metric``, a row per series it has a line in, most reported first."""
    rows = [
        SeriesClaimant(line.claimant, line.key, s.key, len(line.points), len(line.days), line.reports,
                       len({r.outlet for p in line.points for r in p.reports if r.outlet}),
                       line.points[0].as_of, line.points[-1].as_of, line.names)
        for s in series(connection, metric, population=population, side=side, place=place)
        for line in s.lines
    ]
    rows.sort(key=lambda r: (-r.reports, r.claimant, r.series))
    return rows


def conflicts(connection: Connection, *, metric: str | None = None, kind: str | None = None,
              limit: int | None = None) -> list[Conflict]:
    ff = schema.figure_flags
    query = sa.select(ff).order_by(ff.c.kind, ff.c.series, ff.c.id)
    if metric:
        query = query.where(ff.c.series.startswith(metric + "|"))
    if kind:
        query = query.where(ff.c.kind == kind)
    rows = connection.execute(query.limit(limit)).all()
    evidence = _evidence(connection, [r.figure_id for r in rows] + [r.other_id for r in rows if r.other_id])
    return [
        Conflict(r.kind, r.series, r.detail, evidence[r.figure_id], evidence.get(r.other_id) if r.other_id else None)
        for r in rows
    ]


def duplicate_clusters(connection: Connection) -> list[DuplicateCluster]:
    d, a = schema.duplicate_clusters, schema.articles
    rows = connection.execute(
        sa.select(d.c.article_id, d.c.cluster_id, d.c.similarity, a.c.source, a.c.title, a.c.published)
        .join(a, a.c.id == d.c.article_id)
        .order_by(d.c.cluster_id, d.c.similarity.desc(), d.c.article_id)
    ).all()
    clusters: dict[str, list] = {}
    for r in rows:
        clusters.setdefault(r.cluster_id, []).append(r)
    result = []
    for cluster_id, members in clusters.items():
        copies = [Copy(m.article_id, m.source, m.title, m.published, m.similarity) for m in members]
        original = next(c for c in copies if c.article_id == cluster_id)
        result.append(DuplicateCluster(original, tuple(c for c in copies if c is not original)))
    result.sort(key=lambda c: (-len(c.copies), c.original.article_id))
    return result


def _grouped_page(connection: Connection, base, order, having=None, limit=None):
    """Aggregate the rows of ``base`` (a select of group_id, outlet, original, sort_key)
    by group, ordered and cut in SQL; returns [(group id, reports, outlets, independent)]."""
    rows = base.subquery()
    reports = sa.func.count().label("reports")
    outlets = sa.func.count(sa.distinct(rows.c.outlet)).label("outlets")
    independent = sa.func.count(sa.distinct(rows.c.original)).label("independent")
    first = sa.func.min(rows.c.sort_key).label("first")
    query = sa.select(rows.c.group_id, reports, outlets, independent, first).group_by(rows.c.group_id)
    if having is not None:
        query = query.having(having(outlets))
    query = query.order_by(*order(first, reports, outlets, independent), rows.c.group_id).limit(limit)
    return connection.execute(query).all()


def _original(article_id_column):
    """The article's original: itself, unless it is a copy of another."""
    d = schema.duplicate_clusters
    return sa.func.coalesce(
        sa.select(d.c.cluster_id).where(d.c.article_id == article_id_column).scalar_subquery(), article_id_column
    )


def timeline(connection: Connection, *, type: str | None = None, place: str | None = None,
             since: str | None = None, until: str | None = None, limit: int | None = None) -> list[TimelineEntry]:
    """Dated events, oldest first, each with all its reports; grouped, ordered and cut in SQL."""
    e, a, c = schema.events, schema.articles, schema.event_clusters
    group_id = sa.func.coalesce(c.c.cluster_id, e.c.id)
    conditions = [e.c.date.is_not(None)]
    if type:
        conditions.append(e.c.type == type)
    if place:
        conditions.append(sa.func.lower(e.c.place).contains(place.lower(), autoescape=True))
    if since:
        conditions.append(e.c.date >= since)
    if until:
        conditions.append(e.c.date <= until)
    source = e.join(a, a.c.id == e.c.article_id).outerjoin(c, c.c.event_id == e.c.id)
    base = sa.select(
        group_id.label("group_id"), a.c.source.label("outlet"), _original(e.c.article_id).label("original"),
        (e.c.date + " " + e.c.id).label("sort_key"),  # a space sorts "2022-02" before "2022-02-24"
    ).select_from(source).where(*conditions)
    groups = _grouped_page(
        connection, base,
        lambda first, reports, outlets, independent: (first, independent.desc()), limit=limit,
    )
    if not groups:
        return []
    ids = [g.group_id for g in groups]
    rows = connection.execute(
        sa.select(e, a.c.source.label("outlet"), group_id.label("group_id")).select_from(source)
        .where(group_id.in_(ids), *conditions).order_by(e.c.id)
    ).all()
    members: dict[str, list] = {}
    for row in rows:
        members.setdefault(row.group_id, []).append(row)
    entries = []
    for g in groups:
        group = members[g.group_id]
        first = min(group, key=lambda r: (r.date, r.id))
        m = first._mapping
        event = Event(**{k: m[k] for k in Event.__dataclass_fields__ if k != "actors"}, actors=tuple(m["actors"] or ()))
        reports = tuple(Report(r.article_id, r.outlet, r.evidence) for r in group)
        entries.append(TimelineEntry(event, reports, g.outlets, g.independent))
    return entries


def statements(connection: Connection, *, speaker: str | None = None, search: str | None = None,
               min_outlets: int = 1, limit: int | None = None) -> list[Statement]:
    """Quotes grouped into statements, most widely reported first; grouped, ordered and cut in SQL."""
    q, a, g = schema.quotes, schema.articles, schema.quote_groups
    group_id = sa.func.coalesce(g.c.group_id, q.c.id)
    conditions = []
    if speaker:
        conditions.append(sa.func.lower(q.c.speaker).contains(speaker.lower(), autoescape=True))
    if search:
        text = sa.func.coalesce(q.c.content_full, q.c.content)
        conditions.append(sa.func.lower(text).contains(search.lower(), autoescape=True))
    source = q.join(a, a.c.id == q.c.article_id).outerjoin(g, g.c.quote_id == q.c.id)
    base = sa.select(
        group_id.label("group_id"), a.c.source.label("outlet"), _original(q.c.article_id).label("original"),
        q.c.id.label("sort_key"),
    ).select_from(source).where(*conditions)
    groups = _grouped_page(
        connection, base,
        lambda first, reports, outlets, independent: (independent.desc(), reports.desc()),
        having=(lambda outlets: outlets >= min_outlets) if min_outlets > 1 else None, limit=limit,
    )
    if not groups:
        return []
    ids = [grp.group_id for grp in groups]
    rows = connection.execute(
        sa.select(q, a.c.source.label("outlet"), group_id.label("group_id")).select_from(source)
        .where(group_id.in_(ids), *conditions).order_by(q.c.id)
    ).all()
    members: dict[str, list] = {}
    for row in rows:
        members.setdefault(row.group_id, []).append(row)
    result = []
    for grp in groups:
        group = members[grp.group_id]
        m = group[0]._mapping
        quote = Quote(**{k: m[k] for k in Quote.__dataclass_fields__})
        reports = tuple(Report(r.article_id, r.outlet, r.content_full or r.content) for r in group)
        result.append(Statement(quote, reports, grp.outlets, grp.independent))
    return result


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    id: str
    name: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float
    geonames_id: int | None
    mentions: int  # entity mentions resolved to it
    figures: int
    events: int


def _place_counts(connection: Connection, column, table, join=None):
    pt = schema.place_texts
    query = sa.select(pt.c.place_id, sa.func.count().label("n")).select_from(table)
    query = (query.join(join[0], join[1]) if join is not None else query).join(pt, pt.c.text == column)
    return dict(connection.execute(query.where(pt.c.place_id.is_not(None)).group_by(pt.c.place_id)).all())


def places(connection: Connection, *, search: str | None = None, limit: int | None = None) -> list[PlaceSummary]:
    """Resolved places with how often they are mentioned and how many figures and events they hold."""
    m, ent = schema.mentions, schema.entities
    mentions = _place_counts(connection, ent.c.canonical, m, (ent, sa.and_(ent.c.id == m.c.entity_id, ent.c.label == "place")))
    figures = _place_counts(connection, schema.figures.c.place, schema.figures)
    events = _place_counts(connection, schema.events.c.place, schema.events)
    query = sa.select(schema.places)
    if search:
        query = query.where(sa.func.lower(schema.places.c.name).contains(search.lower(), autoescape=True))
    rows = connection.execute(query).all()
    result = [
        PlaceSummary(r.id, r.name, r.country_code, r.admin1, r.latitude, r.longitude, r.geonames_id,
                     mentions.get(r.id, 0), figures.get(r.id, 0), events.get(r.id, 0))
        for r in rows
    ]
    result.sort(key=lambda p: (-(p.mentions + p.figures + p.events), p.name))
    return result[:limit] if limit else result


def geojson(connection: Connection) -> dict:
    """Places as a GeoJSON FeatureCollection, each with its figures and events."""
    pt, f, e = schema.place_texts, schema.figures, schema.events
    figure_rows = connection.execute(
        sa.select(pt.c.place_id, f.c.value, f.c.qualifier, f.c.metric, f.c.population, f.c.as_of, f.c.claimant,
                  f.c.quote, f.c.article_id).join(pt, pt.c.text == f.c.place).where(pt.c.place_id.is_not(None))
    ).all()
    event_rows = connection.execute(
        sa.select(pt.c.place_id, e.c.type, e.c.date, e.c.evidence, e.c.article_id)
        .join(pt, pt.c.text == e.c.place).where(pt.c.place_id.is_not(None))
    ).all()
    by_place: dict[str, dict] = {}
    for r in figure_rows:
        by_place.setdefault(r.place_id, {"figures": [], "events": []})["figures"].append(
            {k: getattr(r, k) for k in ("value", "qualifier", "metric", "population", "as_of", "claimant", "quote", "article_id")}
        )
    for r in event_rows:
        by_place.setdefault(r.place_id, {"figures": [], "events": []})["events"].append(
            {k: getattr(r, k) for k in ("type", "date", "evidence", "article_id")}
        )
    features = []
    for place in places(connection):
        extra = by_place.get(place.id, {"figures": [], "events": []})
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
            "properties": {"id": place.id, "name": place.name, "country_code": place.country_code,
                           "admin1": place.admin1, "geonames_id": place.geonames_id, "mentions": place.mentions,
                           **extra},
        })
    return {"type": "FeatureCollection", "features": features}
