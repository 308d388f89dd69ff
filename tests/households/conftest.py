"""Helpers for registry tests: valid ID-card numbers and registry files."""

import csv
import io

import pytest

from marketplace.households.registry_import import COLUMNS
from marketplace.households.services import id_card_check_digit

HEADER = [key for key, _ in COLUMNS]


def id_card(serial: int, county: str = "622923") -> str:
    body = f"{county}19800101{serial:03d}"
    return body + id_card_check_digit(body)


def registry_row(village, number: str, serial: int, **overrides) -> dict:
    row = {
        "household_no": number,
        "head_name": f"马示例{serial}",
        "id_card_no": id_card(serial),
        "phone": f"1390930{serial:04d}",
        "village_code": village.code,
        "natural_village": "一社",
        "members": "4",
        "household_type": "ordinary",
        "poverty_causes": "illness",
        "status": "not_exited",
        "planned_exit_year": "2020",
        "exit_year": "",
        "net_income_per_person_yuan": "3200.50",
        "income_year": "2019",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def yongjing_village(create_village):
    return create_village(township_code="622923106")


@pytest.fixture
def english(app):
    """A request context in English, for services whose messages are shown translated."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
