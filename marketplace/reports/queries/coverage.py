"""Report 4, coverage in the shape of the paper's Table 1: per county, the service centres,
township stations and village points, cooperatives, active products, transaction value in
the period, and the poverty villages that have a village point."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from ...catalog.models import Cooperative, Product, ProductStatus
from ...extensions import db
from ...logistics.models import Station, StationKind
from ...regions.models import Region, RegionLevel
from ..services import Column, Filters, Table, share_bp
from ..sql import area_key, total, under_area
from .areas import sales_value

COLUMNS = [
    Column("county", _l("County")),
    Column("centres", _l("Service centres"), "int"),
    Column("townships", _l("Township stations"), "int"),
    Column("points", _l("Village points"), "int"),
    Column("cooperatives", _l("Cooperatives"), "int"),
    Column("products", _l("Active products"), "int"),
    Column("sales", _l("Transaction value"), "fen"),
    Column("poverty_villages", _l("Poverty villages"), "int"),
    Column("covered", _l("Covered by a village point"), "int"),
    Column("covered_share", _l("Share covered"), "share"),
]
COUNT_KEYS = (
    "centres",
    "townships",
    "points",
    "cooperatives",
    "products",
    "sales",
    "poverty_villages",
    "covered",
)
KIND_KEYS = {
    StationKind.county_center: "centres",
    StationKind.township_station: "townships",
    StationKind.village_point: "points",
}


def _county_filters(filters: Filters) -> Filters:
    """Coverage is per county: a township or village filter widens to its county."""
    area = filters.area
    while area is not None and area.level not in (RegionLevel.county, RegionLevel.prefecture):
        area = area.parent
    return Filters(area=area, start=filters.start, end=filters.end, locale=filters.locale)


def _per_county(stmt_columns, code_column, *where, select_from=None, joins=()):
    county = area_key(code_column, RegionLevel.county).label("county")
    stmt = select(county, *stmt_columns)
    if select_from is not None:
        stmt = stmt.select_from(select_from)
    for target, on in joins:
        stmt = stmt.join(target, on)
    return dict(
        (row[0], tuple(row[1:])) for row in db.session.execute(stmt.where(*where).group_by(county))
    )


def build(filters: Filters) -> Table:
    """The coverage table for the chosen county (or all eight) and period."""
    filters = _county_filters(filters)
    region = aliased(Region)
    counts = {}

    stations = (
        select(area_key(region.code, RegionLevel.county), Station.kind, func.count(Station.id))
        .join(region, region.id == Station.region_id)
        .where(Station.active.is_(True), under_area(region.code, filters))
        .group_by(area_key(region.code, RegionLevel.county), Station.kind)
    )
    for county, kind, n in db.session.execute(stations):
        counts.setdefault(county, {})[KIND_KEYS[StationKind(kind)]] = n

    village = aliased(Region)
    for county, (n,) in _per_county(
        [func.count(Cooperative.id)],
        village.code,
        under_area(village.code, filters),
        select_from=Cooperative,
        joins=[(village, village.id == Cooperative.village_id)],
    ).items():
        counts.setdefault(county, {})["cooperatives"] = n
    for county, (n,) in _per_county(
        [func.count(Product.id)],
        village.code,
        Product.status == ProductStatus.active,
        under_area(village.code, filters),
        select_from=Product,
        joins=[
            (Cooperative, Cooperative.id == Product.cooperative_id),
            (village, village.id == Cooperative.village_id),
        ],
    ).items():
        counts.setdefault(county, {})["products"] = n
    for county, value in db.session.execute(sales_value(filters, RegionLevel.county)):
        counts.setdefault(county, {})["sales"] = value

    has_point = exists().where(
        Station.region_id == Region.id,
        Station.kind == StationKind.village_point,
        Station.active.is_(True),
    )
    covered = total(db.case((has_point, 1), else_=0))
    for county, (n, m) in _per_county(
        [func.count(Region.id), covered],
        Region.code,
        Region.level == RegionLevel.village,
        Region.is_poverty_village.is_(True),
        under_area(Region.code, filters),
    ).items():
        counts.setdefault(county, {}).update(poverty_villages=n, covered=m or 0)

    counties = db.session.scalars(
        select(Region)
        .where(Region.level == RegionLevel.county, under_area(Region.code, filters))
        .order_by(Region.code)
    ).all()
    rows = []
    for county in counties:
        row = {key: counts.get(county.code, {}).get(key, 0) for key in COUNT_KEYS}
        row["county"] = county.display_name(filters.locale)
        row["covered_share"] = share_bp(row["covered"], row["poverty_villages"])
        rows.append(row)
    totals = {key: sum(r[key] for r in rows) for key in COUNT_KEYS}
    totals["county"] = _l("Total")
    totals["covered_share"] = share_bp(totals["covered"], totals["poverty_villages"])

    def read_rows(limit, offset):
        end = None if limit is None else offset + limit
        yield from rows[offset:end]

    notes = [
        _l(
            "The paper's Table 1 gives Linxia in 2016: 8 service centres, 25 service stations, "
            "800 online shops and 120 million yuan a year; by 2018 every one of the 560 "
            "poverty villages had a village point."
        ),
        _l("Transaction value: goods value of sales delivered and paid in the period."),
    ]
    return Table(COLUMNS, read_rows, totals, len(rows), notes)
