"""claims and reviews: a buyer's claim about a delivered fulfilment (lines, messages,
photos) and buyers' reviews of the products they received

Revision ID: claims_0008
Revises: guards_0007
Create Date: 2026-12-07 10:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "claims_0008"
down_revision = "carriers_0008"
branch_labels = None
depends_on = None


def _fk(table, column, target):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade():
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fulfilment_id", sa.Integer(), nullable=False),
        sa.Column("active_fulfilment_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("remedy", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("offer_fen", sa.BigInteger(), nullable=False),
        sa.Column("refund_fen", sa.BigInteger(), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=True),
        sa.Column("resend_fulfilment_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("refund_fen >= 0", name=op.f("ck_claims_refund_nonneg")),
        sa.CheckConstraint("offer_fen >= 0", name=op.f("ck_claims_offer_nonneg")),
        _fk("claims", "fulfilment_id", "fulfilments"),
        _fk("claims", "active_fulfilment_id", "fulfilments"),
        _fk("claims", "order_id", "orders"),
        _fk("claims", "cooperative_id", "cooperatives"),
        _fk("claims", "buyer_id", "users"),
        _fk("claims", "decided_by_id", "users"),
        _fk("claims", "refund_id", "refunds"),
        _fk("claims", "resend_fulfilment_id", "fulfilments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("active_fulfilment_id", name="uq_claims_active_fulfilment"),
    )
    op.create_index("ix_claims_status_opened", "claims", ["status", "opened_at"])
    for column in ("fulfilment_id", "order_id", "cooperative_id", "buyer_id", "status"):
        op.create_index(op.f(f"ix_claims_{column}"), "claims", [column])

    op.create_table(
        "claim_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_claim_lines_quantity_positive")),
        _fk("claim_lines", "claim_id", "claims"),
        _fk("claim_lines", "order_line_id", "order_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_lines")),
        sa.UniqueConstraint("claim_id", "order_line_id", name="uq_claim_lines_claim_line"),
    )
    op.create_index(op.f("ix_claim_lines_claim_id"), "claim_lines", ["claim_id"])
    op.create_index(op.f("ix_claim_lines_order_line_id"), "claim_lines", ["order_line_id"])

    op.create_table(
        "claim_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_role", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=30), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        _fk("claim_messages", "claim_id", "claims"),
        _fk("claim_messages", "author_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_messages")),
    )
    op.create_index(op.f("ix_claim_messages_claim_id"), "claim_messages", ["claim_id"])

    op.create_table(
        "claim_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("thumb_filename", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("claim_photos", "claim_id", "claims"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_photos")),
    )
    op.create_index(op.f("ix_claim_photos_claim_id"), "claim_photos", ["claim_id"])

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_reviews_rating_range")),
        _fk("reviews", "order_line_id", "order_lines"),
        _fk("reviews", "product_id", "products"),
        _fk("reviews", "cooperative_id", "cooperatives"),
        _fk("reviews", "buyer_id", "users"),
        _fk("reviews", "hidden_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("order_line_id", name="uq_reviews_order_line"),
    )
    op.create_index("ix_reviews_product_created", "reviews", ["product_id", "created_at"])
    op.create_index(op.f("ix_reviews_cooperative_id"), "reviews", ["cooperative_id"])
    op.create_index(op.f("ix_reviews_buyer_id"), "reviews", ["buyer_id"])


def downgrade():
    op.drop_table("reviews")
    op.drop_table("claim_photos")
    op.drop_table("claim_messages")
    op.drop_table("claim_lines")
    op.drop_table("claims")
