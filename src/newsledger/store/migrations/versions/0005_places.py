"""Places: every place text seen, resolved once to a GeoNames record.

Revision ID: 0005_places
Revises: 0004_crossdoc
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_places"
down_revision = "0004_crossdoc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country_code", sa.String(8), nullable=False),
        sa.Column("admin1", sa.Text),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("geonames_id", sa.BigInteger),
        sa.Column("feature", sa.String(24), nullable=False),
    )
    op.create_table(
        "place_texts",
        sa.Column("text", sa.Text, primary_key=True),
        sa.Column("place_id", sa.String(40), sa.ForeignKey("places.id")),
        sa.Column("relation", sa.Text),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_place_texts_place_id", "place_texts", ["place_id"])


def downgrade() -> None:
    op.drop_table("place_texts")
    op.drop_table("places")
