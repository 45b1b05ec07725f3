"""Cross-source tables: article signatures, duplicate clusters, quote groups,
event clusters and figure flags.

Revision ID: 0004_crossdoc
Revises: 0003_figure_sentence
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_crossdoc"
down_revision = "0003_figure_sentence"
branch_labels = None
depends_on = None

ID = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "article_signatures",
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "duplicate_clusters",
        sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cluster_id", ID, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("ix_duplicate_clusters_cluster_id", "duplicate_clusters", ["cluster_id"])
    op.create_table(
        "quote_groups",
        sa.Column("quote_id", ID, sa.ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("group_id", ID, nullable=False),
    )
    op.create_index("ix_quote_groups_group_id", "quote_groups", ["group_id"])
    op.create_table(
        "event_clusters",
        sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cluster_id", ID, nullable=False),
    )
    op.create_index("ix_event_clusters_cluster_id", "event_clusters", ["cluster_id"])
    op.create_table(
        "figure_flags",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("series", sa.Text, nullable=False),
        sa.Column("figure_id", ID, sa.ForeignKey("figures.id", ondelete="CASCADE"), nullable=False),
        sa.Column("other_id", ID, sa.ForeignKey("figures.id", ondelete="CASCADE")),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_figure_flags_series", "figure_flags", ["series"])
    op.create_index("ix_figure_flags_kind", "figure_flags", ["kind"])


def downgrade() -> None:
    for table in ("figure_flags", "event_clusters", "quote_groups", "duplicate_clusters", "article_signatures"):
        op.drop_table(table)
