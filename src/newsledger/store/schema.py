"""The store's tables, written once with SQLAlchemy Core for SQLite and PostgreSQL.

Every extraction row keeps ``start``/``end`` character offsets into its
article's ``text``. Row ids are content hashes, so writing the same thing
twice is harmless. The tables are created and changed only by the Alembic
migrations in ``migrations/versions``; this module describes them for queries.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "metadata",
    "articles",
    "figures",
    "quotes",
    "timexes",
    "events",
    "entities",
    "mentions",
    "EXTRACTION_TABLES",
    "article_signatures",
    "duplicate_clusters",
    "quote_groups",
    "event_clusters",
    "figure_flags",
    "places",
    "place_texts",
    "entity_merges",
]

metadata = sa.MetaData()

ID = sa.String(40)


def _span_columns() -> list[sa.Column]:
    return [
        sa.Column("id", ID, primary_key=True),
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
    ]


articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("source", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date, index=True),
    sa.Column("published_inferred", sa.Date),
    sa.Column("published_first", sa.Date),
    sa.Column("published_last", sa.Date),
    sa.Column("published_confidence", sa.Float),
    sa.Column("published_evidence", sa.Text),
    sa.Column("origin", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

figures = sa.Table(
    "figures",
    metadata,
    *_span_columns(),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("number_start", sa.Integer, nullable=False),
    sa.Column("number_end", sa.Integer, nullable=False),
    sa.Column("value", sa.BigInteger, nullable=False),
    sa.Column("low", sa.BigInteger),
    sa.Column("high", sa.BigInteger),
    sa.Column("qualifier", sa.String(16), nullable=False),
    sa.Column("metric", sa.String(16), nullable=False, index=True),
    sa.Column("population", sa.Text),
    sa.Column("side", sa.String(16)),
    sa.Column("place", sa.Text),
    sa.Column("as_of", sa.String(10)),
    sa.Column("claimant", sa.Text),
    sa.Column("forecast", sa.Boolean, nullable=False),
    sa.Column("since", sa.String(10)),
    sa.Column("sentence_start", sa.Integer),
    sa.Column("sentence_end", sa.Integer),
)

quotes = sa.Table(
    "quotes",
    metadata,
    *_span_columns(),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("content_full", sa.Text),
    sa.Column("speaker", sa.Text, index=True),
    sa.Column("speaker_text", sa.Text),
    sa.Column("cue", sa.Text),
)

timexes = sa.Table(
    "timexes",
    metadata,
    *_span_columns(),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("value", sa.String(10)),
)

events = sa.Table(
    "events",
    metadata,
    *_span_columns(),
    sa.Column("type", sa.String(16), nullable=False, index=True),
    sa.Column("evidence", sa.Text, nullable=False),
    sa.Column("date", sa.String(10), index=True),
    sa.Column("place", sa.Text),
    sa.Column("actors", sa.JSON, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("canonical", sa.Text, nullable=False, index=True),
    sa.Column("label", sa.String(16), nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    *_span_columns(),
    sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
)

# --- cross-source tables (newsledger.crossdoc keeps them up to date) -----

article_signatures = sa.Table(
    "article_signatures",
    metadata,
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("signature", sa.LargeBinary, nullable=False),  # MinHash values, uint64 little-endian
)

# Articles that are near-copies of others; cluster_id is the cluster's original.
duplicate_clusters = sa.Table(
    "duplicate_clusters",
    metadata,
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cluster_id", ID, nullable=False, index=True),
    sa.Column("similarity", sa.Float, nullable=False),  # estimated Jaccard to the original
)

# Quotes reporting one statement; group_id is the smallest quote id of the group.
quote_groups = sa.Table(
    "quote_groups",
    metadata,
    sa.Column("quote_id", ID, sa.ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("group_id", ID, nullable=False, index=True),
)

# Reports of one event; cluster_id is the smallest event id of the cluster.
event_clusters = sa.Table(
    "event_clusters",
    metadata,
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cluster_id", ID, nullable=False, index=True),
)

figure_flags = sa.Table(
    "figure_flags",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(24), nullable=False, index=True),
    sa.Column("series", sa.Text, nullable=False, index=True),
    sa.Column("figure_id", ID, sa.ForeignKey("figures.id", ondelete="CASCADE"), nullable=False),
    sa.Column("other_id", ID, sa.ForeignKey("figures.id", ondelete="CASCADE")),
    sa.Column("detail", sa.Text, nullable=False),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),  # "gn:<GeoNames id>", or a hash for unnumbered points
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country_code", sa.String(8), nullable=False),
    sa.Column("admin1", sa.Text),
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("feature", sa.String(24), nullable=False),
)

# Every place text seen (entity names, figure and event places), resolved once.
place_texts = sa.Table(
    "place_texts",
    metadata,
    sa.Column("text", sa.Text, primary_key=True),
    sa.Column("place_id", sa.String(40), sa.ForeignKey("places.id"), index=True),  # null: unresolved
    sa.Column("relation", sa.Text),
    sa.Column("reason", sa.Text),  # why it is unresolved
)

# An entity naming the same person as another ("Putin" -> "Vladimir Putin"), see crossdoc.entities.
entity_merges = sa.Table(
    "entity_merges",
    metadata,
    sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("target_id", ID, sa.ForeignKey("entities.id"), nullable=False),
)

# Named counters; "crossdoc" goes up each time the cross-source step changes the store
# (see Ledger.revision), so that a long-running reader knows when its cached answers are stale.
store_state = sa.Table(
    "store_state",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# What `newsledger watch` last saw of each feed URL and file: HTTP validators for feeds, size
# and mtime (stamp) and a SHA-256 of the content for files; failures and retry_at for backoff.
watched = sa.Table(
    "watched",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("stamp", sa.Text),
    sa.Column("digest", sa.String(64)),
    sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("retry_at", sa.DateTime(timezone=True)),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
)

# Alerts raised by the rules of newsledger.alerts; id = row_id(rule name, subject), so a rule
# raises one alert per figure, quote or flag however often it is evaluated.
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("subject_id", ID, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()),
)

# Extraction tables in the order they are written, each with the record field
# holding its rows on an Extraction.
EXTRACTION_TABLES = (
    (figures, "figures"),
    (quotes, "quotes"),
    (timexes, "timexes"),
    (events, "events"),
    (mentions, "entities"),
)
