"""Bar charts drawn on the server as SVG: this module computes the geometry, the template
macro in templates/reports/_chart.html draws it. No JavaScript, nothing from a CDN.

Amounts stay integer fen; only pixel positions are fractional.
"""

from ..money import format_fen

WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 6, 14, 26
MAX_TICKS = 4
# Narrowest x label in viewBox units before labels are thinned out.
LABEL_SPACE = 30


def nice_step(top_value: int, max_ticks: int = MAX_TICKS) -> int:
    """The smallest 1/2/5 x 10^k fen step that covers `top_value` in `max_ticks` steps."""
    magnitude = 1
    while True:
        for m in (1, 2, 5):
            step = m * magnitude
            if step * max_ticks >= top_value:
                return step
        magnitude *= 10


def tick_label(value_fen: int, step_fen: int, locale: str = "zh") -> str:
    """A short axis label in yuan: '1.50', '300', '2,000', '3万' (zh) or '30k' (en)."""
    yuan = value_fen // 100
    if step_fen % 100:
        return format_fen(value_fen, symbol=False)
    if locale == "zh" and step_fen % 1_000_000 == 0 and yuan:
        return f"{yuan // 10000:,}万"
    if locale != "zh" and step_fen % 100_000 == 0 and yuan:
        return f"{yuan // 1000:,}k"
    return f"{yuan:,}"


def short_month(label: str, same_year: bool) -> str:
    """'2026-09' -> '09' when every month is in one year, else '26-09'."""
    return label[5:] if same_year else label[2:]


def bar_chart(labels: list[str], series: list[tuple], locale: str = "zh") -> dict:
    """Geometry of a grouped bar chart.

    labels: one per group (months 'YYYY-MM'); series: [(css_key, name, [fen per group])].
    Negative values (a month of refunds) are drawn as zero; the table shows the amount.
    """
    n = max(len(labels), 1)
    values = [v for _, _, vs in series for v in vs]
    top_value = max([v for v in values if v > 0], default=0)
    step = nice_step(max(top_value, 100))
    ticks = -(-max(top_value, 1) // step)
    axis_top = step * ticks
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / n
    bar_w = group_w * 0.8 / max(len(series), 1)

    def y_of(value: int) -> float:
        return round(TOP + plot_h - max(value, 0) * plot_h / axis_top, 1)

    bars = []
    for j, (key, name, vs) in enumerate(series):
        for i, value in enumerate(vs):
            x = LEFT + i * group_w + group_w * 0.1 + j * bar_w
            y = y_of(value)
            bars.append(
                {
                    "x": round(x, 1),
                    "y": y,
                    "w": round(max(bar_w - 0.5, 0.5), 1),
                    "h": round(TOP + plot_h - y, 1),
                    "key": key,
                    "title": f"{labels[i]} {name}: {format_fen(value)}",
                }
            )
    same_year = len({label[:4] for label in labels}) <= 1
    every = max(1, -(-LABEL_SPACE // max(int(group_w), 1)))
    x_labels = [
        {"x": round(LEFT + (i + 0.5) * group_w, 1), "text": short_month(label, same_year)}
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    y_ticks = [
        {"y": y_of(step * k), "text": tick_label(step * k, step, locale)} for k in range(ticks + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_h,
        "bars": bars,
        "x_labels": x_labels,
        "y_ticks": y_ticks,
        "legend": [(key, name) for key, name, _ in series],
        "year": labels[0][:4] if labels and same_year else "",
    }
