"""The public impact page: income that reached registered poor households this year, how
many households, by county, by month. De-identified: only counts and sums leave here."""

from datetime import date

from flask_babel import lazy_gettext as _l

from ...clock import local_today
from ...extensions import db
from ...regions.models import RegionLevel
from ...regions.services import regions_at
from ..charts import bar_chart
from ..services import Filters
from .areas import household_income_by_area, totals_for
from .trend import income_by_month, months_between


def build(locale: str = "zh") -> dict:
    """This year's figures for the public page (no names, no household numbers)."""
    today = local_today()
    filters = Filters(start=date(today.year, 1, 1), end=today, locale=locale)
    totals = totals_for(filters)
    by_county = {
        code: (households, income)
        for code, households, income in db.session.execute(
            household_income_by_area(filters, RegionLevel.county)
        )
    }
    counties = [
        {
            "name": county.display_name(locale),
            "households": by_county.get(county.code, (0, 0))[0],
            "income": by_county.get(county.code, (0, 0))[1],
        }
        for county in regions_at(RegionLevel.county)
    ]
    months = months_between(filters.start, filters.end)
    per_month = income_by_month(filters)
    chart = bar_chart(
        months,
        [("income", _l("Household income"), [per_month.get(m, (0, 0))[1] for m in months])],
        locale,
    )
    return {
        "year": today.year,
        "income": totals["income"],
        "households": totals["households"],
        "per_household": totals["per_household"],
        "counties": counties,
        "chart": chart,
    }
