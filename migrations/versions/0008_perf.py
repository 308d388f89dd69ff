"""Catalogue stamp: cached shop and product pages carry it in their keys.

Revision ID: perf_0008
Revises: guards_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "perf_0008"
down_revision = "ux2_0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "catalog_stamps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_stamps")),
    )


def downgrade():
    op.drop_table("catalog_stamps")
