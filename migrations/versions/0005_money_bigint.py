"""money columns of sales, payments and the ledger are 64-bit

A line of 999 units at a high unit price, or an order total, can pass 2^31 fen
(about 21 million yuan); PostgreSQL's INTEGER would refuse it with an error.

Revision ID: money_0005
Revises: perf_0004
Create Date: 2026-11-29 22:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'money_0005'
down_revision = 'perf_0004'
branch_labels = None
depends_on = None

COLUMNS = {
    'products': ['price_fen'],
    'orders': ['goods_fen', 'shipping_fen', 'total_fen'],
    'fulfilments': ['goods_fen', 'shipping_fen', 'amount_due_fen'],
    'order_lines': ['unit_price_fen', 'line_fen'],
    'payments': ['amount_fen'],
    'refunds': ['amount_fen'],
    'cash_movements': ['amount_fen'],
    'income_entries': ['amount_fen'],
}


def _alter(to_type, from_type):
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=from_type, type_=to_type)


def upgrade():
    _alter(sa.BigInteger(), sa.Integer())


def downgrade():
    _alter(sa.Integer(), sa.BigInteger())
