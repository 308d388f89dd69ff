"""monthly household income rollup (household_income_months), filled from the ledger;
network_stamps, the stamp that invalidates the route planner's cached station network

Revision ID: perf_0004
Revises: bench_0002
Create Date: 2026-11-29 22:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf_0004'
down_revision = 'bench_0002'
branch_labels = None
depends_on = None

# The local (China Standard Time, UTC+8) month of each entry, as reports.sql.local_month.
MONTH = {
    'postgresql': "to_char(recognised_at + interval '8 hours', 'YYYY-MM')",
    'sqlite': "strftime('%Y-%m', recognised_at, '+8 hours')",
}


def upgrade():
    op.create_table(
        'household_income_months',
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ['household_id'], ['households.id'],
            name=op.f('fk_household_income_months_household_id_households'),
        ),
        sa.ForeignKeyConstraint(
            ['village_id'], ['regions.id'],
            name=op.f('fk_household_income_months_village_id_regions'),
        ),
        sa.PrimaryKeyConstraint(
            'household_id', 'village_id', 'month', name=op.f('pk_household_income_months')
        ),
    )
    # Existing ledgers are rolled up once here; from now on households.income keeps it up.
    month = MONTH[op.get_bind().dialect.name]
    op.execute(
        "INSERT INTO household_income_months (household_id, village_id, month, amount_fen) "
        f"SELECT household_id, village_id, {month}, SUM(amount_fen) FROM income_entries "
        "WHERE household_id IS NOT NULL AND village_id IS NOT NULL "
        f"GROUP BY household_id, village_id, {month}"
    )
    op.create_index(
        'ix_household_income_months_month_village', 'household_income_months',
        ['month', 'village_id'], unique=False,
    )

    # The days at either end of a report period are read from the ledger by time alone.
    op.create_index(
        'ix_income_entries_at_cover', 'income_entries', ['recognised_at'], unique=False,
        postgresql_include=['household_id', 'village_id', 'amount_fen'],
    )
    op.create_table(
        'network_stamps',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_stamps')),
    )
    op.execute("INSERT INTO network_stamps (id, stamp) VALUES (1, 'migration-perf-0004')")


def downgrade():
    op.drop_table('network_stamps')
    op.drop_index('ix_income_entries_at_cover', table_name='income_entries')
    op.drop_index(
        'ix_household_income_months_month_village', table_name='household_income_months'
    )
    op.drop_table('household_income_months')
