"""Registering cooperatives: their village, hand-over village point, producers' share and
managers (users holding the cooperative manager role)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User, UserRole
from ..errors import Conflict, DomainError
from ..extensions import db
from ..logistics.models import Station, StationKind
from ..regions.models import Region, RegionLevel
from ..transaction import verb
from .models import Cooperative

COOPERATIVE_FIELDS = (
    "name_zh",
    "name_en",
    "village_id",
    "registration_no",
    "description_zh",
    "description_en",
    "phone",
    "home_station_id",
    "producer_share_bp",
)


def cooperative_manager_candidates() -> list[User]:
    """Users holding the cooperative manager role, by name."""
    stmt = (
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == Role.cooperative_manager)
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(stmt))


def village_point_stations() -> list[Station]:
    """Every village point, for choosing a cooperative's hand-over station."""
    stmt = db.select(Station).where(Station.kind == StationKind.village_point)
    return list(db.session.scalars(stmt.order_by(Station.code)))


def list_cooperatives() -> list[Cooperative]:
    """All cooperatives with their village, by county then name."""
    stmt = (
        db.select(Cooperative)
        .join(Cooperative.village)
        .options(selectinload(Cooperative.village))
        .order_by(Region.code, Cooperative.name_zh)
    )
    return list(db.session.scalars(stmt))


@verb
def save_cooperative(cooperative: Cooperative | None, values: dict, managers: list[User]):
    """Register (cooperative None) or edit a cooperative and set its managers."""
    share = values.get("producer_share_bp")
    if share is None or not 0 <= share <= 10000:
        raise DomainError(_l("The producers' share is between 0 and 10000 basis points."))
    village = db.session.get(Region, values.get("village_id") or 0)
    if village is None or village.level != RegionLevel.village:
        raise DomainError(_l("Choose the cooperative's village."))
    station_id = values.get("home_station_id")
    if station_id:
        station = db.session.get(Station, station_id)
        if station is None or station.kind != StationKind.village_point:
            raise DomainError(_l("The hand-over station must be a village point."))
    number = (values.get("registration_no") or "").strip()
    other = db.session.scalar(db.select(Cooperative).where(Cooperative.registration_no == number))
    if other is not None and other is not cooperative:
        raise Conflict(_l("Registration number %(no)s is already in use.", no=number))
    for user in managers:
        if not user.has_role(Role.cooperative_manager):
            raise DomainError(
                _l("%(name)s is not a cooperative manager; give the role first.", name=user.name)
            )
    if cooperative is None:
        cooperative = Cooperative()
        db.session.add(cooperative)
    for key in COOPERATIVE_FIELDS:
        if key in values:
            setattr(cooperative, key, values[key])
    cooperative.registration_no = number
    cooperative.home_station_id = station_id or None
    cooperative.managers = list(managers)
    db.session.flush()
    return cooperative
