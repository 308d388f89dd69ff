"""station app: scans recorded offline by the station app, applied once by their client id

Revision ID: station_app_0008
Revises: guards_0007
Create Date: 2026-12-07 10:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "station_app_0008"
down_revision = "guards_0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["parcel_scans.id"], name=op.f("fk_client_scans_scan_id_parcel_scans")
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_client_scans_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_scans")),
        sa.UniqueConstraint("client_id", name=op.f("uq_client_scans_client_id")),
        sa.UniqueConstraint("scan_id", name=op.f("uq_client_scans_scan_id")),
    )


def downgrade():
    op.drop_table("client_scans")
