"""lifecycle: why an order was cancelled, as a code (not a note a buyer can type); the key
each Stripe refund is sent with

Revision ID: lifecycle_0006
Revises: money_0005
Create Date: 2026-12-02 22:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = "lifecycle_0006"
down_revision = "money_0005"
branch_labels = None
depends_on = None

# The note the first version wrote on the cancellation of an expired online payment.
EXPIRED_NOTE = "payment session expired"


def upgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=30), nullable=True))
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_refunds_idempotency_key"), ["idempotency_key"]
        )
    # Orders cancelled before this column existed: the expiry note of the system's own
    # cancellation (by nobody) is the only one that ever meant "expired".
    op.execute(
        sa.text(
            "UPDATE orders SET cancel_reason = CASE WHEN EXISTS ("
            " SELECT 1 FROM status_events e WHERE e.subject = 'order' AND e.subject_id = orders.id"
            " AND e.to_status = 'cancelled' AND e.by_id IS NULL AND e.note = :note)"
            " THEN 'payment_expired' ELSE 'buyer' END WHERE status = 'cancelled'"
        ).bindparams(note=EXPIRED_NOTE)
    )


def downgrade():
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_refunds_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
