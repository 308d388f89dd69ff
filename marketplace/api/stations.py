"""Stations: the county centres, township stations and village points parcels travel through."""

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..logistics.models import Station, StationKind
from ..regions.models import Region
from .params import choice_arg, region_code_arg
from .serializers import station_json
from .views import bp


@bp.get("/stations")
def list_stations():
    """Active stations by code, optionally of one kind and in one county; no token needed."""
    kind = choice_arg("kind", [k.value for k in StationKind])
    county_code = region_code_arg("county_code", 6)
    stmt = (
        db.select(Station)
        .join(Region, Region.id == Station.region_id)
        .where(Station.active.is_(True))
        .options(joinedload(Station.region))
        .order_by(Region.code, Station.code)
    )
    if kind:
        stmt = stmt.where(Station.kind == StationKind(kind))
    if county_code:
        # A station stands in a county, township or village; all their codes start alike.
        stmt = stmt.where(Region.code.startswith(county_code))
    return {"items": [station_json(s) for s in db.session.scalars(stmt)]}
