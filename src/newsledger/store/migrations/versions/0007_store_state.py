"""A counter the cross-source step bumps each time it changes the store, and an index on the
articles' ingest time: together they tell cheaply whether the store has changed.

Revision ID: 0007_store_state
Revises: 0006_entity_merges
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_store_state"
down_revision = "0006_entity_merges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_articles_ingested_at", "articles", ["ingested_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_ingested_at", "articles")
    op.drop_table("store_state")
