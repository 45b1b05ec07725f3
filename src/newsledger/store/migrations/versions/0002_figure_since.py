"""Figures keep the start of the period they count ("since the invasion").

Revision ID: 0002_figure_since
Revises: 0001_initial
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_figure_since"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("since", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("since")
