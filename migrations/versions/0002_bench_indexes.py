"""indexes for prefecture-scale reports and station pages

Revision ID: bench_0002
Revises: 0001
Create Date: 2026-11-29 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bench_0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OPEN_PARCEL = "status NOT IN ('handed_over', 'handed_to_carrier', 'cancelled')"


def upgrade():
    with op.batch_alter_table('income_entries', schema=None) as batch_op:
        batch_op.create_index(
            'ix_income_entries_village_at_cover', ['village_id', 'recognised_at'], unique=False,
            postgresql_include=['household_id', 'amount_fen'],
        )
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.create_index(
            'ix_parcels_open_at_station', ['current_station_id'], unique=False,
            postgresql_where=sa.text(OPEN_PARCEL), sqlite_where=sa.text(OPEN_PARCEL),
        )


def downgrade():
    with op.batch_alter_table('parcels', schema=None) as batch_op:
        batch_op.drop_index('ix_parcels_open_at_station')
    with op.batch_alter_table('income_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_income_entries_village_at_cover')
