"""Articles and their extractions, with full-text search.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(40)


def _span(table: str, *columns: sa.Column) -> None:
    op.create_table(
        table,
        sa.Column("id", ID, primary_key=True),
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        *columns,
    )
    op.create_index(f"ix_{table}_article_id", table, ["article_id"])


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", ID, primary_key=True),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("published_inferred", sa.Date),
        sa.Column("published_first", sa.Date),
        sa.Column("published_last", sa.Date),
        sa.Column("published_confidence", sa.Float),
        sa.Column("published_evidence", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    _span(
        "figures",
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("number_start", sa.Integer, nullable=False),
        sa.Column("number_end", sa.Integer, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("low", sa.BigInteger),
        sa.Column("high", sa.BigInteger),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("metric", sa.String(16), nullable=False),
        sa.Column("population", sa.Text),
        sa.Column("side", sa.String(16)),
        sa.Column("place", sa.Text),
        sa.Column("as_of", sa.String(10)),
        sa.Column("claimant", sa.Text),
        sa.Column("forecast", sa.Boolean, nullable=False),
    )
    op.create_index("ix_figures_metric", "figures", ["metric"])
    _span(
        "quotes",
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("content_full", sa.Text),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_text", sa.Text),
        sa.Column("cue", sa.Text),
    )
    op.create_index("ix_quotes_speaker", "quotes", ["speaker"])
    _span("timexes", sa.Column("text", sa.Text, nullable=False), sa.Column("value", sa.String(10)))
    _span(
        "events",
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("place", sa.Text),
        sa.Column("actors", sa.JSON, nullable=False),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_table(
        "entities",
        sa.Column("id", ID, primary_key=True),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
    )
    op.create_index("ix_entities_canonical", "entities", ["canonical"])
    _span(
        "mentions",
        sa.Column("entity_id", ID, sa.ForeignKey("entities.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_mentions_entity_id", "mentions", ["entity_id"])

    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(article_id UNINDEXED, title, text)")
    else:
        op.execute(
            "CREATE INDEX ix_articles_fts ON articles USING gin "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
    for table in ("mentions", "entities", "events", "timexes", "quotes", "figures", "articles"):
        op.drop_table(table)
