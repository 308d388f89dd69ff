"""The fee of one fulfilment (issue 13's formula) on hand-made templates, at the edges."""

from types import SimpleNamespace

import pytest

from marketplace.catalog.freight import fulfilment_fee

GANSU, BEIJING, XINJIANG, TIBET, SHAANXI = "620000", "110000", "650000", "540000", "610000"


def template(**fields):
    base = {
        "first_weight_g": 1000,
        "first_fen": 1000,
        "step_weight_g": 500,
        "step_fen": 300,
        "rules": [
            SimpleNamespace(
                province_codes=[XINJIANG],
                first_weight_g=1000,
                first_fen=2000,
                step_weight_g=1000,
                step_fen=1000,
            )
        ],
        "free_over_fen": None,
        "free_province_codes": None,
        "not_delivered_province_codes": [TIBET],
    }
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize(
    ("weight", "fee"),
    [(1, 1000), (999, 1000), (1000, 1000), (1001, 1300), (1500, 1300), (1501, 1600)],
)
def test_first_weight_then_each_started_step(weight, fee):
    assert fulfilment_fee(template(), BEIJING, weight, goods_fen=5000) == fee


def test_a_region_rule_has_its_own_numbers():
    t = template()
    assert fulfilment_fee(t, XINJIANG, 1000, 5000) == 2000
    assert fulfilment_fee(t, XINJIANG, 1001, 5000) == 3000
    assert fulfilment_fee(t, XINJIANG, 3000, 5000) == 4000
    assert fulfilment_fee(t, GANSU, 3000, 5000) == 1000 + 4 * 300


def test_free_shipping_from_the_threshold_on():
    t = template(free_over_fen=9900)
    assert fulfilment_fee(t, GANSU, 5000, 9899) == 1000 + 8 * 300
    assert fulfilment_fee(t, GANSU, 5000, 9900) == 0
    assert fulfilment_fee(t, XINJIANG, 5000, 9900) == 0  # everywhere: null list


def test_free_shipping_only_for_the_listed_provinces():
    t = template(free_over_fen=9900, free_province_codes=[GANSU, SHAANXI])
    assert fulfilment_fee(t, SHAANXI, 1000, 9900) == 0
    assert fulfilment_fee(t, BEIJING, 1000, 9900) == 1000


def test_a_province_not_delivered_to_has_no_fee():
    assert fulfilment_fee(template(), TIBET, 1000, 5000) is None
    assert fulfilment_fee(template(free_over_fen=0), TIBET, 1000, 5000) is None
