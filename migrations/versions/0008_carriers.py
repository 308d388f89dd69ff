"""carriers: an express parcel's carrier, tracking number and hand-over time; the
tracking events carriers push to the signed webhook

Revision ID: carriers_0008
Revises: guards_0007
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "carriers_0008"
down_revision = "delivery_0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carrier", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("tracking_no", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("carrier_handed_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_parcels_carrier_handed_at"), ["carrier_handed_at"], unique=False
        )
        batch_op.create_unique_constraint(
            "uq_parcels_carrier_tracking_no", ["carrier", "tracking_no"]
        )
    op.create_table(
        "carrier_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("tracking_no", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("parcel_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_carrier_events_parcel_id_parcels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_carrier_events_event_id")),
    )
    op.create_index("ix_carrier_events_parcel_at", "carrier_events", ["parcel_id", "at"])


def downgrade():
    op.drop_index("ix_carrier_events_parcel_at", table_name="carrier_events")
    op.drop_table("carrier_events")
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_constraint("uq_parcels_carrier_tracking_no", type_="unique")
        batch_op.drop_index(batch_op.f("ix_parcels_carrier_handed_at"))
        batch_op.drop_column("carrier_handed_at")
        batch_op.drop_column("tracking_no")
        batch_op.drop_column("carrier")
