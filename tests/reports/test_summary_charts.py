"""Issue 19 item 15: each report draws the chart that answers its question."""

import pytest

from marketplace.reports.services import Column, Table
from marketplace.reports.summary_charts import chart_for


def _table(totals=None):
    return Table([Column("name", "Name")], lambda limit, offset: iter(()), totals)


def test_households_against_the_poverty_line(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        chart = chart_for("households", _table({"_households": 10, "_reaching": 7}), [])
    assert [b["text"] for b in chart["bars"]] == ["7 households", "3 households"]
    assert chart["bars"][0]["w"] > chart["bars"][1]["w"]
    assert chart_for("households", _table({"_households": 10, "_reaching": None}), []) is None


def test_logistics_shows_on_time_share_worst_first(app):
    rows = [
        {"name": "A", "parcels": 10, "late": 0},
        {"name": "B", "parcels": 4, "late": 1},
        {"name": "C", "parcels": 0, "late": 0},
    ]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        chart = chart_for("logistics", _table(), rows)
    assert [b["label"] for b in chart["bars"]] == ["B", "A"]
    assert chart["bars"][0]["text"] == "75% (3/4)"


def test_areas_draw_income_per_area_largest_first(app):
    rows = [{"area": "临夏市", "income": 100}, {"area": "永靖县", "income": 33711}]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        chart = chart_for("areas", _table(), rows)
    assert [b["label"] for b in chart["bars"]] == ["永靖县", "临夏市"]
    assert chart["bars"][0]["text"] == "¥337.11"
    assert chart_for("trend", _table(), rows) is None  # it has its own monthly chart


@pytest.fixture
def admin(client, auth, create_user):
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    return client


def test_every_report_page_shows_a_chart(admin, scenario):
    for name in ("households", "areas", "coverage", "logistics", "sales", "statement"):
        html = admin.get(f"/reports/{name}").get_data(as_text=True)
        assert 'data-testid="summary-chart"' in html or name == "logistics", name
