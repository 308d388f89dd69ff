"""Templates only display: they call no services and compare no status to a string. The
views build what a page needs (a `pages.py` object per page) and the flags it asks about."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STRING = r"""(?:'[^']*'|"[^"]*")"""
# `x.status == 'paid'`, `'paid' != x.status`, `x.status in ('a', 'b')` or `in ['a']`.
STATUS_COMPARED = re.compile(
    rf"\.status\s*(?:==|!=)\s*{STRING}"
    rf"|{STRING}\s*(?:==|!=)\s*[\w.]+\.status\b"
    rf"|\.status\s+(?:not\s+)?in\s*[(\[]\s*{STRING}"
)
# The context processors these replaced: a template calling one is calling a service.
REMOVED_HELPERS = re.compile(
    r"\b(payments_for_order|parcel_tracking|refund_reason|can_refund|online_payment_available)\b"
)


def _offences(pattern) -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {text.strip()}")
    return found


def test_no_template_compares_a_status_with_a_string():
    assert _offences(STATUS_COMPARED) == []


def test_no_template_calls_a_service_helper():
    assert _offences(REMOVED_HELPERS) == []


def test_the_guard_sees_what_it_guards_against():
    assert STATUS_COMPARED.search("{% if order.status == 'cancelled' %}")
    assert STATUS_COMPARED.search("{% if p.status not in ('a', 'b') %}")
    assert not STATUS_COMPARED.search("{% if page.cancelled %}")
    assert REMOVED_HELPERS.search("{% set x = payments_for_order(order) %}")
