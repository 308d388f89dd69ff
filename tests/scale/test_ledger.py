"""The generated stock and income ledger follow the rules of catalog and households.income."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.households.income import split_line
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.orders.actions import recognise_income_if_due, refund_recorded
from marketplace.orders.models import Fulfilment, FulfilmentStatus
from marketplace.payments.models import Refund


def count(sql: str) -> int:
    return db.session.scalar(sa.text(sql))


def test_lots_never_go_negative_and_remaining_is_quantity_less_unreleased_allocations(tiny):
    assert count("SELECT count(*) FROM supply_lots WHERE remaining < 0") == 0
    inconsistent = count(
        "SELECT count(*) FROM supply_lots l LEFT JOIN (SELECT lot_id, sum(quantity) AS taken "
        "FROM line_allocations WHERE released_at IS NULL GROUP BY lot_id) a ON a.lot_id = l.id "
        "WHERE l.quantity - l.remaining <> COALESCE(a.taken, 0)"
    )
    assert inconsistent == 0
    assert count("SELECT count(*) FROM supply_lots WHERE remaining > 0") > 0


def test_every_line_is_allocated_in_full_from_its_own_products_lots(tiny):
    wrong = count(
        "SELECT count(*) FROM order_lines l WHERE l.quantity <> (SELECT sum(a.quantity) "
        "FROM line_allocations a JOIN supply_lots s ON s.id = a.lot_id "
        "WHERE a.order_line_id = l.id AND s.product_id = l.product_id)"
    )
    assert wrong == 0
    released = count(
        "SELECT count(*) FROM line_allocations a JOIN order_lines l ON l.id = a.order_line_id "
        "JOIN orders o ON o.id = l.order_id "
        "WHERE (a.released_at IS NULL) = (o.status = 'cancelled')"
    )
    assert released == 0


def test_lot_contributions_add_up_to_the_lot(tiny):
    wrong = count(
        "SELECT count(*) FROM supply_lots s WHERE s.quantity <> "
        "(SELECT sum(quantity) FROM lot_contributions c WHERE c.lot_id = s.id)"
    )
    assert wrong == 0


def sale_entries(line_id: int) -> list[tuple]:
    stmt = (
        db.select(IncomeEntry)
        .where(IncomeEntry.order_line_id == line_id, IncomeEntry.kind == IncomeKind.sale)
        .order_by(IncomeEntry.id)
    )
    return [
        (e.contribution_id, e.lot_id, e.household_id, e.village_id, e.amount_fen)
        for e in db.session.scalars(stmt)
    ]


def test_sale_entries_are_what_split_line_computes_for_each_line(tiny):
    fulfilments = db.session.scalars(db.select(Fulfilment).order_by(Fulfilment.id)).all()
    checked = 0
    for fulfilment in fulfilments:
        share = fulfilment.cooperative.producer_share_bp
        recognised = fulfilment.income_recognised_at is not None
        assert recognised == (fulfilment.status == FulfilmentStatus.delivered)
        for line in fulfilment.lines:
            expected = [
                (c.id, lot.id, c.household_id, c.household.village_id if c.household else None, fen)
                for c, lot, fen in split_line(line, share)
                if fen
            ]
            assert sale_entries(line.id) == (expected if recognised else [])
            checked += recognised
    assert checked > 0.8 * tiny.lines


def test_recognising_a_delivered_fulfilment_again_writes_the_generated_entries(tiny):
    fulfilments = db.session.scalars(
        db.select(Fulfilment)
        .where(Fulfilment.income_recognised_at.is_not(None))
        .order_by(Fulfilment.id)
        .limit(25)
    ).all()
    for fulfilment in fulfilments:
        stmt = db.select(IncomeEntry).where(
            IncomeEntry.fulfilment_id == fulfilment.id, IncomeEntry.kind == IncomeKind.sale
        )
        generated = db.session.scalars(stmt.order_by(IncomeEntry.id)).all()
        shape = [(e.contribution_id, e.order_line_id, e.amount_fen) for e in generated]
        at = fulfilment.income_recognised_at
        for entry in generated:  # replay the real service on the same fulfilment
            db.session.delete(entry)
        fulfilment.income_recognised_at = None
        db.session.flush()
        replayed = recognise_income_if_due(fulfilment, at=at)
        assert [(e.contribution_id, e.order_line_id, e.amount_fen) for e in replayed] == shape
    db.session.rollback()


def test_refund_reversals_are_what_reverse_for_refund_writes(generate_tiny):
    generate_tiny(orders=2000)
    refunds = db.session.scalars(db.select(Refund).order_by(Refund.id)).all()
    assert refunds
    for refund in refunds:
        stmt = db.select(IncomeEntry).where(IncomeEntry.refund_id == refund.id)
        generated = db.session.scalars(stmt.order_by(IncomeEntry.id)).all()
        assert generated and all(e.amount_fen < 0 for e in generated)
        shape = [(e.contribution_id, e.order_line_id, e.amount_fen) for e in generated]
        for entry in generated:
            db.session.delete(entry)
        db.session.flush()
        replayed = refund_recorded(refund, at=refund.created_at)
        assert [(e.contribution_id, e.order_line_id, e.amount_fen) for e in replayed] == shape
    db.session.rollback()
