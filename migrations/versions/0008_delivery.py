"""delivery to an address: China's divisions (loaded from the packaged data file), buyers'
address books, cooperatives' freight templates, products' template, orders' delivery and
address snapshot; the pickup point is optional (express orders have none)

Revision ID: delivery_0008
Revises: guards_0007
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "delivery_0008"
down_revision = "jobs_0008"
branch_labels = None
depends_on = None


def _numbers():
    return [
        sa.Column("first_weight_g", sa.Integer(), nullable=False),
        sa.Column("first_fen", sa.BigInteger(), nullable=False),
        sa.Column("step_weight_g", sa.Integer(), nullable=False),
        sa.Column("step_fen", sa.BigInteger(), nullable=False),
    ]


def _checks(table):
    return [
        sa.CheckConstraint("first_weight_g > 0", name=op.f(f"ck_{table}_first_weight_positive")),
        sa.CheckConstraint("step_weight_g > 0", name=op.f(f"ck_{table}_step_weight_positive")),
        sa.CheckConstraint("first_fen >= 0 AND step_fen >= 0", name=op.f(f"ck_{table}_fees_nonneg")),
    ]


def upgrade():
    divisions = op.create_table(
        "divisions",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("name_zh", sa.String(length=50), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_divisions")),
    )
    op.create_index(op.f("ix_divisions_parent_code"), "divisions", ["parent_code"])
    # Reference data, like the schema: every database gets it (see regions/divisions.py).
    from marketplace.regions.divisions import division_rows

    op.bulk_insert(divisions, division_rows())

    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=12), nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("district_code", sa.String(length=12), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_addresses_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
    )
    op.create_index(op.f("ix_addresses_user_id"), "addresses", ["user_id"])

    op.create_table(
        "freight_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("cold_chain", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        *_numbers(),
        sa.Column("free_over_fen", sa.BigInteger(), nullable=True),
        sa.Column("free_provinces", sa.Text(), nullable=True),
        sa.Column("not_delivered", sa.Text(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_checks("freight_templates"),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperatives.id"],
            name=op.f("fk_freight_templates_cooperative_id_cooperatives"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freight_templates")),
    )
    op.create_index(
        op.f("ix_freight_templates_cooperative_id"), "freight_templates", ["cooperative_id"]
    )
    op.create_table(
        "freight_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provinces", sa.Text(), nullable=False),
        *_numbers(),
        *_checks("freight_rules"),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["freight_templates.id"],
            name=op.f("fk_freight_rules_template_id_freight_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freight_rules")),
    )
    op.create_index(op.f("ix_freight_rules_template_id"), "freight_rules", ["template_id"])

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("freight_template_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_products_freight_template_id_freight_templates"),
            "freight_templates",
            ["freight_template_id"],
            ["id"],
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.alter_column("pickup_station_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("delivery", sa.String(length=30), server_default="pickup", nullable=False)
        )
        for name, length in (
            ("ship_recipient", 50),
            ("ship_phone", 20),
            ("ship_province_code", 12),
            ("ship_province_name", 50),
            ("ship_city_code", 12),
            ("ship_city_name", 50),
            ("ship_district_code", 12),
            ("ship_district_name", 50),
            ("ship_street", 200),
        ):
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        for name in (
            "ship_street",
            "ship_district_name",
            "ship_district_code",
            "ship_city_name",
            "ship_city_code",
            "ship_province_name",
            "ship_province_code",
            "ship_phone",
            "ship_recipient",
            "delivery",
        ):
            batch_op.drop_column(name)
        batch_op.alter_column("pickup_station_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_products_freight_template_id_freight_templates"), type_="foreignkey"
        )
        batch_op.drop_column("freight_template_id")
    op.drop_index(op.f("ix_freight_rules_template_id"), table_name="freight_rules")
    op.drop_table("freight_rules")
    op.drop_index(op.f("ix_freight_templates_cooperative_id"), table_name="freight_templates")
    op.drop_table("freight_templates")
    op.drop_index(op.f("ix_addresses_user_id"), table_name="addresses")
    op.drop_table("addresses")
    op.drop_index(op.f("ix_divisions_parent_code"), table_name="divisions")
    op.drop_table("divisions")
