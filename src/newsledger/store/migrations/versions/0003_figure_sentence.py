"""Figures keep the offsets of the sentence that states them.

Revision ID: 0003_figure_sentence
Revises: 0002_figure_since
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_figure_sentence"
down_revision = "0002_figure_since"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("sentence_start", sa.Integer))
        batch.add_column(sa.Column("sentence_end", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("sentence_end")
        batch.drop_column("sentence_start")
