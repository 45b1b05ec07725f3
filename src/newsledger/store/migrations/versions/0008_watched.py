"""What `newsledger watch` last saw of each feed and file, so that a restart fetches only what is new.

Revision ID: 0008_watched
Revises: 0007_store_state
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_watched"
down_revision = "0007_store_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watched",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("stamp", sa.Text),
        sa.Column("digest", sa.String(64)),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", sa.DateTime(timezone=True)),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("watched")
