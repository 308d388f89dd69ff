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


def downgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("received_currency")
        batch_op.drop_column("received_amount")
