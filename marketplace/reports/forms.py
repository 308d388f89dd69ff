"""The report filter form (a GET form: no CSRF token, bookmarkable URLs)."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import Optional, ValidationError

from ..clock import local_today
from ..inputs import BaseForm
from ..regions.models import RegionLevel
from ..regions.services import get_by_code, regions_at
from .services import Filters

# Longest period a report accepts: the monthly trend draws one bar per month.
MAX_PERIOD_DAYS = 10 * 366


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    county = SelectField(_l("County"), choices=[], validate_choice=False)
    township = SelectField(_l("Township"), choices=[], validate_choice=False)
    village = SelectField(_l("Village"), choices=[], validate_choice=False)
    start = DateField(_lp("period", "From"), validators=[Optional()])
    end = DateField(_lp("period", "To"), validators=[Optional()])
    by = SelectField(_l("Group by"), choices=[], validate_choice=False)
    sort = HiddenField()
    dir = HiddenField()

    def validate_end(self, field):
        start, end = self.start.data, field.data
        if start and end and end < start:
            raise ValidationError(_l("The end of the period is before its start."))
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError(_l("Choose a period of at most ten years."))

    def load_choices(self, locale: str, breakdowns: list[tuple[str, str]] = ()) -> None:
        """Fill the selects: townships of the chosen county, villages of the chosen township."""

        def options(level, parent, everything):
            return [("", everything)] + [
                (r.code, r.display_name(locale)) for r in regions_at(level, parent)
            ]

        self.county.choices = options(RegionLevel.county, None, _l("All counties"))
        county = self._chosen(self.county.data, RegionLevel.county, None)
        township = self._chosen(self.township.data, RegionLevel.township, county)
        self.township.choices = (
            options(RegionLevel.township, county, _l("All townships")) if county else []
        )
        self.village.choices = (
            options(RegionLevel.village, township, _l("All villages")) if township else []
        )
        self.by.choices = list(breakdowns)

    @staticmethod
    def _chosen(code, level, parent):
        region = get_by_code(code) if code else None
        if region is None or region.level != level:
            return None
        if parent is not None and region.parent_id != parent.id:
            return None
        return region

    def area(self):
        """The most specific consistent choice of county > township > village (or None)."""
        county = self._chosen(self.county.data, RegionLevel.county, None)
        township = county and self._chosen(self.township.data, RegionLevel.township, county)
        village = township and self._chosen(self.village.data, RegionLevel.village, township)
        return village or township or county or None

    def filters(self, locale: str, platform_fee_bp: int = 0) -> Filters:
        """The Filters these (validated) answers ask for; blanks take the defaults."""
        today = local_today()
        valid = not self.errors
        start = (valid and self.start.data) or date(today.year, 1, 1)
        end = (valid and self.end.data) or max(today, start)
        if end < start or (end - start) > timedelta(days=MAX_PERIOD_DAYS):
            start, end = date(today.year, 1, 1), today
        return Filters(
            area=self.area(),
            start=start,
            end=end,
            by=self.by.data or None,
            sort=self.sort.data or None,
            descending={"asc": False, "desc": True}.get(self.dir.data or ""),
            locale=locale,
            platform_fee_bp=platform_fee_bp,
        )
