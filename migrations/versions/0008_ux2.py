"""ux2: an order line keeps the product's English name too (English pages show it); a
parcel keeps the end of the pickup window promised at checkout (late = ready after it)

Revision ID: ux2_0008
Revises: guards_0007
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "ux2_0008"
down_revision = "claims_0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product_name_en", sa.String(length=100), nullable=True))
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promised_by", sa.DateTime(), nullable=True))
    # Lines placed before: the product's English name as it is now (the best there is).
    op.execute(
        "UPDATE order_lines SET product_name_en = "
        "(SELECT products.name_en FROM products WHERE products.id = order_lines.product_id)"
    )


def downgrade():
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_column("promised_by")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("product_name_en")
