"""The chart that answers each report's question, drawn on the server as SVG bars (no
JavaScript): households against the poverty line, income per area, parcels on time per
station or link, coverage per county, sales and what reached households per cooperative.
The monthly trend keeps its own chart (`charts.bar_chart`).

Bars are horizontal, the label above each bar, so names stay readable at 360 px. Only the
rows on the page are drawn (largest first, at most `MAX_BARS`): the chart shows what the
table beside it shows.
"""

from flask_babel import lazy_gettext as _l

from ..money import format_fen

WIDTH = 360
ROW = 38  # viewBox units per bar: the label line, then the bar
BAR = 12
MAX_BARS = 10


def _money(fen) -> str:
    return format_fen(int(fen or 0))


def _households(n: int) -> str:
    return str(_l("%(n)s households", n=n))


def _pct(bp) -> str:
    return f"{(bp or 0) / 100:.0f}%"


def hbars(title, items: list[tuple[str, float, str]], maximum: float | None = None) -> dict:
    """Geometry for (label, value, value text) items; `maximum` fixes the scale (100% ...)."""
    items = [i for i in items if i[1] is not None][:MAX_BARS]
    top = maximum or max([v for _, v, _ in items if v > 0], default=0) or 1
    bars = []
    for n, (label, value, text) in enumerate(items):
        y = n * ROW
        bars.append(
            {
                "label": label,
                "text": text,
                "label_y": y + 14,
                "bar_y": y + 20,
                "w": round(max(value, 0) / top * (WIDTH - 2), 1),
            }
        )
    return {"title": title, "bars": bars, "width": WIDTH, "height": len(bars) * ROW + 2}


def _top(rows, key, label_key):
    chosen = [r for r in rows if isinstance(r.get(key), int | float)]
    return sorted(chosen, key=lambda r: r[key], reverse=True)


def chart_for(name: str, table, rows: list[dict]) -> dict | None:
    """The summary chart of report `name` for the rows on the page (None: nothing to draw)."""
    if name == "households":
        totals = table.totals or {}
        households = totals.get("_households") or 0
        reaching = totals.get("_reaching")
        if not households or reaching is None:
            return None
        return hbars(
            _l("Households against the poverty line"),
            [
                (str(_l("Reach the poverty line")), reaching, _households(reaching)),
                (
                    str(_l("Still below it")),
                    households - reaching,
                    _households(households - reaching),
                ),
            ],
        )
    if name == "logistics":
        items = []
        for r in rows:
            if r.get("parcels"):
                on_time = r["parcels"] - (r.get("late") or 0)
                share = on_time * 10000 // r["parcels"]
                items.append((str(r["name"]), share, f"{_pct(share)} ({on_time}/{r['parcels']})"))
        items.sort(key=lambda i: i[1])  # the worst first: what needs attention
        return hbars(_l("Parcels on time"), items, maximum=10000) if items else None
    spec = SPECS.get(name)
    if spec is None:
        return None
    title, key, label_key, fmt, maximum = spec
    items = [(str(r.get(label_key) or ""), r[key], fmt(r[key])) for r in _top(rows, key, label_key)]
    return hbars(title, items, maximum) if items else None


SPECS = {
    # name: (title, value key, label key, value text, fixed maximum)
    "areas": (_l("Household income per area"), "income", "area", _money, None),
    "coverage": (
        _l("Poverty villages with a village point"),
        "covered_share",
        "county",
        _pct,
        10000,
    ),
    "sales": (_l("Sales value"), "sales", "name", _money, None),
    "statement": (_l("Paid to registered households"), "households", "cooperative", _money, None),
}
