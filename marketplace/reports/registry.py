"""The administrators' reports: name, title, what they show and how they can be broken down."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .queries import (
    areas,
    carriers,
    claims,
    coverage,
    households,
    logistics,
    sales,
    statement,
    trend,
)


@dataclass(frozen=True)
class Report:
    name: str
    title: object
    description: object
    build: Callable
    # (value, label) choices for ?by=; empty when the report has one shape.
    breakdowns: list = field(default_factory=list)
    # Deepest area filter that makes sense ("county" for per-county reports).
    area_depth: str = "village"


REPORTS = {
    r.name: r
    for r in [
        Report(
            "households",
            _l("Household income"),
            _l(
                "Platform income per registered poor household, per person, and whether it "
                "reaches the year's poverty line."
            ),
            households.build,
        ),
        Report(
            "areas",
            _l("Income by area"),
            _l(
                "Households reached, income and the share of sales value that reached poor "
                "households, per county, township or village."
            ),
            areas.build,
            [
                ("", _l("One level down")),
                ("county", _l("Counties")),
                ("township", _l("Townships")),
                ("village", _l("Villages")),
            ],
        ),
        Report(
            "trend",
            _l("Monthly trend"),
            _l("Household income and sales value month by month for one area, as a chart."),
            trend.build,
        ),
        Report(
            "coverage",
            _l("Coverage"),
            _l(
                "Stations, cooperatives, products and transaction value per county, and the "
                "poverty villages with a village point (the paper's Table 1)."
            ),
            coverage.build,
            area_depth="county",
        ),
        Report(
            "logistics",
            _l("Logistics"),
            _l(
                "Parcels, runs, cost per parcel, days in transit and late parcels per station "
                "or per link."
            ),
            logistics.build,
            [("station", _l("Per station")), ("link", _l("Per link"))],
        ),
        Report(
            "carriers",
            _l("Express carriers"),
            _l(
                "Per carrier and county: parcels handed to express carriers, shipping charged "
                "to buyers and the (assumed) carrier cost."
            ),
            carriers.build,
            area_depth="county",
        ),
        Report(
            "sales",
            _l("Sales"),
            _l("Sales by product, cooperative or county, and one-village-one-product sales."),
            sales.build,
            [
                ("product", _l("By product")),
                ("cooperative", _l("By cooperative")),
                ("county", _l("By county")),
                ("ovop", _l("One village, one product")),
            ],
        ),
        Report(
            "statement",
            _l("Cooperative statements"),
            _l(
                "What each cooperative is owed after the platform fee, and how the producers' "
                "share was split over households."
            ),
            statement.build,
        ),
        Report(
            "claims",
            _l("Claims"),
            _l(
                "After-sales claims by cooperative, product, reason or route: count, claims "
                "per 100 parcels, refunded, median time to answer."
            ),
            claims.build,
            [
                ("cooperative", _l("By cooperative")),
                ("product", _l("By product")),
                ("reason", _l("By reason")),
                ("route", _l("By route")),
            ],
        ),
    ]
}
