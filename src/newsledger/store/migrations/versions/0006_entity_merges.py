"""Entities that name the same person across articles point to one of them.

Revision ID: 0006_entity_merges
Revises: 0005_places
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_entity_merges"
down_revision = "0005_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_merges",
        sa.Column("entity_id", sa.String(40), sa.ForeignKey("entities.id"), primary_key=True),
        sa.Column("target_id", sa.String(40), sa.ForeignKey("entities.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("entity_merges")
