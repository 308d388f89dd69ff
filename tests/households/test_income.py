"""Income attribution: delivered and paid sales become IncomeEntry rows for the households
behind them, exactly once, to the fen; refunds write reversing rows."""

from collections import defaultdict

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.extensions import db
from marketplace.households.income import distributable_fen, split_line
from marketplace.households.models import IncomeEntry, IncomeKind
from marketplace.orders.actions import recognise_income_if_due, refund_recorded
from marketplace.orders.models import FulfilmentStatus
from marketplace.orders.status import mark_paid, move_fulfilment
from tests.reports.conftest import refund

# Importing the refund fixture registers it for this module too (`create_sale` is shared).
SALE_FIXTURES = (refund,)


def ledger(**where) -> list[IncomeEntry]:
    stmt = db.select(IncomeEntry).filter_by(**where).order_by(IncomeEntry.id)
    return list(db.session.scalars(stmt))


def by_household(entries) -> dict[int, int]:
    out = defaultdict(int)
    for entry in entries:
        out[entry.household_id] += entry.amount_fen
    return dict(out)


@pytest.fixture
def worked_example(create_cooperative, create_product, create_household, create_lot):
    """Lily at 29.99 yuan a bag, producers' share 80 %; lot A (10 bags): household 1 gave 6,
    household 2 gave 4; lot B (20 bags): household 2 gave 5, household 3 gave 15."""
    cooperative = create_cooperative(producer_share_bp=8000)
    lily = create_product(cooperative=cooperative, price_fen=2999)
    h1, h2, h3 = create_household(), create_household(), create_household()
    lot_a = create_lot(product=lily, contributions=[(h1, 6), (h2, 4)])
    lot_b = create_lot(product=lily, contributions=[(h2, 5), (h3, 15)])
    return lily, lot_a, lot_b, h1, h2, h3


def test_two_lot_three_household_example_is_split_to_the_fen(worked_example, create_sale):
    """One line of 8 bags at 2,999 fen: 5 bags from lot A, 3 from lot B.

    line value        8 x 2,999                      = 23,992 fen
    distributable     23,992 x 8,000 / 10,000        = 19,193.6 -> 19,193 fen (rounded down)
    per bag           19,193 / 8                     = 2,399.125 fen
    household 1, A    5 bags x 6/10 = 3 bags         -> 7,197.375
    household 2, A    5 bags x 4/10 = 2 bags         -> 4,798.25
    household 2, B    3 bags x 5/20 = 0.75 bag       -> 1,799.34375
    household 3, B    3 bags x 15/20 = 2.25 bags     -> 5,398.03125
    floors 7,197 + 4,798 + 1,799 + 5,398 = 19,192; the 1 fen left goes to the largest
    remainder (.375, household 1): 7,198 / 4,798 / 1,799 / 5,398.
    per household: 1 -> 7,198; 2 -> 4,798 + 1,799 = 6,597; 3 -> 5,398; sum 19,193.
    """
    lily, lot_a, lot_b, h1, h2, h3 = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]))

    entries = ledger(fulfilment_id=fulfilment.id)
    assert [(e.household_id, e.lot_id, e.amount_fen) for e in entries] == [
        (h1.id, lot_a.id, 7198),
        (h2.id, lot_a.id, 4798),
        (h2.id, lot_b.id, 1799),
        (h3.id, lot_b.id, 5398),
    ]
    assert by_household(entries) == {h1.id: 7198, h2.id: 6597, h3.id: 5398}
    assert all(e.kind == IncomeKind.sale for e in entries)
    assert {e.village_id for e in entries} == {h1.village_id, h2.village_id, h3.village_id}
    assert fulfilment.income_recognised_at == entries[0].recognised_at


def test_split_line_parts_always_sum_to_the_distributable_amount(worked_example, create_sale):
    lily, lot_a, lot_b, *_ = worked_example
    fulfilment = create_sale((lily, [(lot_a, 3), (lot_b, 4)]), until="ready")
    (line,) = fulfilment.lines
    for share_bp in (0, 1, 3333, 8000, 9999, 10000):
        parts = split_line(line, share_bp)
        assert sum(fen for *_, fen in parts) == distributable_fen(line.line_fen, share_bp)


def test_a_half_refund_reverses_half_in_the_same_proportions(worked_example, create_sale, refund):
    """Refund 11,996 fen (half the goods) of the worked example.

    reversed total   19,193 x 11,996 / 23,992 = 9,596.5 -> 9,596 fen
    over what stands (7,198 / 4,798 / 1,799 / 5,398, sum 19,193):
      floors 3,598 / 2,398 / 899 / 2,698 = 9,593; 3 fen left to the largest remainders
      (household 2 lot A .875, household 3 .859, household 1 .8125)
      -> 3,599 / 2,399 / 899 / 2,699
    per household: 1 -> -3,599; 2 -> -3,298; 3 -> -2,699; still standing 3,599 / 3,299 / 2,699.
    Refunding the other half reverses the remaining 9,597 fen: every household back to 0.
    """
    lily, lot_a, lot_b, h1, h2, h3 = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]))
    sales_before = [(e.id, e.amount_fen) for e in ledger(fulfilment_id=fulfilment.id)]

    first = refund(fulfilment, 11996)
    reversals = refund_recorded(first)
    assert [e.amount_fen for e in reversals] == [-3599, -2399, -899, -2699]
    assert all(e.kind == IncomeKind.reversal and e.refund_id == first.id for e in reversals)
    assert by_household(reversals) == {h1.id: -3599, h2.id: -3298, h3.id: -2699}
    assert by_household(ledger(fulfilment_id=fulfilment.id)) == {
        h1.id: 3599,
        h2.id: 3299,
        h3.id: 2699,
    }
    # The sale rows are untouched: the ledger is append-only.
    kept = [(e.id, e.amount_fen) for e in ledger(fulfilment_id=fulfilment.id, kind="sale")]
    assert kept == sales_before

    second = refund(fulfilment, 11996)
    assert sum(e.amount_fen for e in refund_recorded(second)) == -9597
    assert by_household(ledger(fulfilment_id=fulfilment.id)) == {h1.id: 0, h2.id: 0, h3.id: 0}


def test_reversing_the_same_refund_twice_writes_nothing_more(worked_example, create_sale, refund):
    lily, lot_a, lot_b, *_ = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]))
    full = refund(fulfilment, 23992 + 800)  # goods and shipping: reverses all the income
    assert sum(e.amount_fen for e in refund_recorded(full)) == -19193
    assert refund_recorded(full) == []
    assert sum(e.amount_fen for e in ledger(fulfilment_id=fulfilment.id)) == 0


def test_a_refund_before_recognition_is_reversed_when_the_sale_is_recognised(
    worked_example, create_sale, refund
):
    lily, lot_a, lot_b, *_ = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]), payment="stripe", until="paid")
    early = refund(fulfilment, 11996)
    assert refund_recorded(early) == []  # nothing recognised yet

    create_sale.advance(fulfilment)  # handed over: recognised, the early refund reversed
    entries = ledger(fulfilment_id=fulfilment.id)
    assert sum(e.amount_fen for e in entries if e.kind == IncomeKind.sale) == 19193
    assert sum(e.amount_fen for e in entries if e.kind == IncomeKind.reversal) == -9596
    assert sum(e.amount_fen for e in ledger(fulfilment_id=fulfilment.id)) == 9597


def test_repeated_delivery_and_payment_events_recognise_once(worked_example, create_sale):
    lily, lot_a, lot_b, *_ = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]), until="ready")

    assert recognise_income_if_due(fulfilment) == []  # neither delivered nor paid
    move_fulfilment(fulfilment, FulfilmentStatus.delivered)
    assert recognise_income_if_due(fulfilment) == []  # delivered, not yet paid
    mark_paid(fulfilment)
    first = recognise_income_if_due(fulfilment)
    # The webhook is retried, the operator scans again, a job re-runs: nothing more.
    mark_paid(fulfilment)
    again = [recognise_income_if_due(fulfilment) for _ in range(3)]
    db.session.commit()

    assert len(first) == 4 and again == [[], [], []]
    assert len(ledger(fulfilment_id=fulfilment.id)) == 4
    assert sum(e.amount_fen for e in ledger(fulfilment_id=fulfilment.id)) == 19193


def test_a_stale_copy_of_the_fulfilment_cannot_recognise_twice(worked_example, create_sale):
    lily, lot_a, lot_b, *_ = worked_example
    fulfilment = create_sale((lily, [(lot_a, 5), (lot_b, 3)]))
    # Another request recognised it; this one still holds the old state in memory.
    set_committed_value(fulfilment, "income_recognised_at", None)
    assert recognise_income_if_due(fulfilment) == []
    assert len(ledger(fulfilment_id=fulfilment.id)) == 4


def test_an_uneven_split_of_100_fen_over_3_equal_contributors_is_34_33_33(
    create_cooperative, create_product, create_household, create_lot, create_sale
):
    """1 unit at 125 fen, share 80 %: 125 x 0.8 = 100 fen over three equal thirds
    (33.33... each): floors 33 + 33 + 33 = 99, the 1 fen left goes to the first."""
    cooperative = create_cooperative(producer_share_bp=8000)
    product = create_product(cooperative=cooperative, price_fen=125)
    households = [create_household() for _ in range(3)]
    lot = create_lot(product=product, contributions=[(h, 1) for h in households])
    fulfilment = create_sale((product, [(lot, 1)]))

    amounts = [e.amount_fen for e in ledger(fulfilment_id=fulfilment.id)]
    assert amounts == [34, 33, 33] and sum(amounts) == 100


def test_other_suppliers_parts_are_recorded_so_the_split_sums(
    create_cooperative, create_product, create_household, create_lot, create_sale
):
    cooperative = create_cooperative(producer_share_bp=7000)
    product = create_product(cooperative=cooperative, price_fen=1000)
    household = create_household()
    lot = create_lot(product=product, contributions=[(household, 3), ("马家收购点", 7)])
    fulfilment = create_sale((product, [(lot, 10)]))

    entries = ledger(fulfilment_id=fulfilment.id)
    assert [(e.household_id, e.supplier_name, e.amount_fen) for e in entries] == [
        (household.id, None, 2100),
        (None, "马家收购点", 4900),
    ]
    assert entries[1].village_id is None


def test_units_given_back_to_a_lot_earn_nothing(
    create_cooperative, create_product, create_household, create_lot, create_sale
):
    from marketplace.clock import utcnow
    from marketplace.orders.models import LineAllocation

    cooperative = create_cooperative(producer_share_bp=10000)
    product = create_product(cooperative=cooperative, price_fen=100)
    h1, h2 = create_household(), create_household()
    lot_1 = create_lot(product=product, contributions=[(h1, 5)])
    lot_2 = create_lot(product=product, contributions=[(h2, 5)])
    fulfilment = create_sale((product, [(lot_1, 2)]), until="ready")
    (line,) = fulfilment.lines
    db.session.add(LineAllocation(line=line, lot_id=lot_2.id, quantity=2, released_at=utcnow()))
    db.session.flush()

    create_sale.advance(fulfilment)
    assert by_household(ledger(fulfilment_id=fulfilment.id)) == {h1.id: 200}
