"""Money is integer fen; splits sum exactly."""

import pytest

from marketplace.money import format_fen, split_largest_remainder, yuan_to_fen


def test_format_fen():
    assert format_fen(123456) == "¥1,234.56"
    assert format_fen(5) == "¥0.05"
    assert format_fen(-250) == "-¥2.50"


@pytest.mark.parametrize(("text", "fen"), [("12.5", 1250), ("0.01", 1), ("1,000", 100000)])
def test_yuan_to_fen(text, fen):
    assert yuan_to_fen(text) == fen


@pytest.mark.parametrize("text", ["abc", "1.001", "nan", "inf"])
def test_yuan_to_fen_rejects(text):
    with pytest.raises(ValueError):
        yuan_to_fen(text)


def test_100_fen_over_three_equal_contributors_is_34_33_33():
    assert split_largest_remainder(100, [1, 1, 1]) == [34, 33, 33]


def test_split_always_sums():
    for total in range(0, 500, 7):
        parts = split_largest_remainder(total, [3, 5, 11, 2])
        assert sum(parts) == total and min(parts) >= 0
