"""money and pickup guards: what Stripe reported when it did not match a payment; wrong
pickup codes typed for a parcel (enough of them lock its hand-over for a while)

Revision ID: guards_0007
Revises: lifecycle_0006
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "guards_0007"
down_revision = "lifecycle_0006"
branch_labels = None
depends_on = None


def upgrade():
    # payments.status is a VARCHAR (native_enum=False, no CHECK): the new value
    # "needs_attention" needs no change to the column.
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("received_currency", sa.String(length=3), nullable=True))
    op.create_table(
        "pickup_code_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_pickup_code_failures_parcel_id_parcels")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["stations.id"],
            name=op.f("fk_pickup_code_failures_station_id_stations"),
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_pickup_code_failures_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_code_failures")),
    )
    op.create_index(
        "ix_pickup_code_failures_parcel_at", "pickup_code_failures", ["parcel_id", "at"]
    )


def downgrade():
    op.drop_index("ix_pickup_code_failures_parcel_at", table_name="pickup_code_failures")
    op.drop_table("pickup_code_failures")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("received_currency")
        batch_op.drop_column("received_amount")
