"""Alerts raised by rules over what each ingest added.

Revision ID: 0009_alerts
Revises: 0008_watched
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_alerts"
down_revision = "0008_watched"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("article_id", sa.String(40), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("subject_id", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_created_at", "alerts")
    op.drop_table("alerts")
