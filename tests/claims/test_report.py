"""The claims report (by cooperative, product, reason, route), its export, and the
cooperative statement's claims refunded."""

from datetime import date

from marketplace import transaction
from marketplace.claims import services
from marketplace.clock import local_today
from marketplace.extensions import db
from marketplace.reports.queries import claims as claims_report
from marketplace.reports.queries import statement
from marketplace.reports.services import Filters


def _year():
    today = local_today()
    return Filters(start=date(today.year, 1, 1), end=today, platform_fee_bp=500)


def test_claims_by_cooperative_reason_route_and_the_statement(
    app, delivered, buyer, manager, client, auth, admin
):
    claimed = delivered(quantity=4, price_fen=3333)
    delivered(quantity=1, price_fen=1000)  # a second parcel, not claimed
    claim = services.open_claim(claimed, buyer, [(claimed.lines[0].id, 1)], "spoiled", "", "refund")
    db.session.commit()
    services.decide(claim, "accept", manager)
    transaction.commit()

    for by in ("cooperative", "product", "reason", "route"):
        filters = _year()
        filters.by = by
        rows = list(claims_report.build(filters).rows())
        assert sum(r["claims"] for r in rows) == 1, by
        assert sum(r["refunded"] for r in rows) == 3333, by
    filters = _year()
    filters.by = "reason"
    table = claims_report.build(filters)
    (row,) = table.rows()
    assert row["rate"] == 50.0  # one claim over two delivered parcels
    assert row["answer_hours"] is not None
    filters.by = "route"
    (row,) = claims_report.build(filters).rows()
    assert "→" in row["key"]

    rows = list(statement.build(_year()).rows())
    assert sum(r["claims_refunded"] for r in rows) == 3333

    auth.login("admin@example.com")
    page = client.get("/reports/claims?by=cooperative")
    assert page.status_code == 200
    export = client.get("/reports/claims/export.csv?by=product")
    assert export.status_code == 200 and "33.33" in export.get_data(as_text=True)
