"""The station network as administrators maintain it: stations, links, who operates what,
and the planner's view of it (`load_network`)."""

import itertools
import uuid
from dataclasses import dataclass
from datetime import time

from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..accounts.models import Role
from ..errors import Conflict, DomainError
from ..extensions import db
from ..regions.models import Region, RegionLevel
from ..transaction import verb
from .models import Link, NetworkStamp, Station, StationKind
from .planner import Edge, Network

# Which level of the region tree each kind of station serves.
KIND_LEVEL = {
    StationKind.county_center: RegionLevel.county,
    StationKind.township_station: RegionLevel.township,
    StationKind.village_point: RegionLevel.village,
}
WEEKDAYS = "1234567"


def station_label(station: Station) -> LazyString:
    """The station's name in the language of the page that shows it (for messages)."""
    return LazyString(lambda: station.display_name(str(get_locale() or "zh")))


def operates(user, station: Station) -> bool:
    """True if `user` may work at `station`: one of its operators, or an administrator."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if user.is_admin:
        return True
    return user.has_role(Role.station_operator) and any(
        op.id == user.id for op in station.operators
    )


def stations_of(user) -> list[Station]:
    """The stations `user` operates, county centres first."""
    stmt = (
        db.select(Station)
        .where(Station.operators.any(id=user.id))
        .order_by(Station.kind, Station.code)
    )
    return list(db.session.scalars(stmt))


def edge_of(link: Link) -> Edge:
    """The planner's view of one link."""
    return Edge(
        id=link.id,
        from_id=link.from_station_id,
        to_id=link.to_station_id,
        cost_per_run_fen=link.cost_per_run_fen,
        cost_per_kg_fen=link.cost_per_kg_fen,
        transit_minutes=link.transit_minutes,
        cold_chain=link.cold_chain,
        weekdays=link.weekdays,
        departs_at=link.departs_at,
    )


# Per process: (database url, stamp) -> the network built then. Building it takes ~19 ms
# at prefecture scale; checking the stamp is one primary-key read.
_cached: dict[tuple[str, str], Network] = {}


_NOTED = "network_stamp"


def stamp_column():
    """The network's stamp as a scalar subquery, to be read along with a query that runs
    anyway (checkout's product read); hand the value to `note_stamp`."""
    return db.select(NetworkStamp.stamp).where(NetworkStamp.id == 1).scalar_subquery()


def note_stamp(stamp: str | None) -> None:
    """Remember the stamp read in this transaction: its plans need not read it again."""
    db.session.info[_NOTED] = (db.session().get_transaction(), stamp)


def _stamp() -> str | None:
    noted = db.session.info.get(_NOTED)
    if noted is not None and noted[0] is db.session().get_transaction():
        return noted[1]
    stamp = db.session.scalar(db.select(NetworkStamp.stamp).where(NetworkStamp.id == 1))
    note_stamp(stamp)
    return stamp


def touch_network(session=None) -> None:
    """Give the network a new stamp, so every process rebuilds it on its next plan.

    A random stamp, not a counter: a fresh database (tests make many in one process) can
    never repeat the stamp of a network cached from another one.
    """
    session = session or db.session
    session.info.pop(_NOTED, None)
    stamp = uuid.uuid4().hex
    table = NetworkStamp.__table__  # Core statements: no ORM bookkeeping inside a flush
    done = session.execute(table.update().where(table.c.id == 1).values(stamp=stamp)).rowcount
    if not done:
        session.execute(table.insert().values(id=1, stamp=stamp))


@event.listens_for(Session, "before_flush")
def _stations_or_links_changed(session, flush_context, instances) -> None:
    """Any station or link added, changed or deleted through the ORM moves the stamp."""
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, Station | Link) for obj in changed):
        touch_network(session)


def load_network() -> Network:
    """The active stations and links, cached per process until a station or link changes.

    The cached network is shared between requests: the planner only reads it.
    """
    stamp = _stamp()
    if stamp is None:  # never stamped (no station written through the ORM yet)
        return build_network()
    key = (str(db.session.get_bind().url), stamp)
    network = _cached.get(key)
    if network is None:
        network = build_network()
        _cached.clear()  # only the newest network is worth keeping
        _cached[key] = network
    return network


@dataclass(frozen=True)
class StationView:
    """What a route shows of a station (API order answers), from the per-process cache."""

    id: int
    kind: StationKind
    name_zh: str
    name_en: str | None

    def display_name(self, locale: str = "zh") -> str:
        if locale == "en" and self.name_en:
            return self.name_en
        return self.name_zh


_cached_views: dict[tuple[str, str], dict[int, StationView]] = {}


def known_route_stations(ids) -> dict[int, StationView] | None:
    """The active stations `ids` from the per-process cache, if this transaction has read
    the network's stamp already (checkout has) and all of them are active; None otherwise
    (then read them: checking the stamp would cost the same one query)."""
    noted = db.session.info.get(_NOTED)
    if noted is None or noted[0] is not db.session().get_transaction() or noted[1] is None:
        return None
    key = (str(db.session.get_bind().url), noted[1])
    views = _cached_views.get(key)
    if views is None:
        rows = db.session.execute(
            db.select(Station.id, Station.kind, Station.name_zh, Station.name_en).where(
                Station.active
            )
        )
        views = {row.id: StationView(*row) for row in rows}
        _cached_views.clear()
        _cached_views[key] = views
    if not all(station_id in views for station_id in ids):
        return None
    return {station_id: views[station_id] for station_id in ids}


def build_network() -> Network:
    """The active stations and the active links between them, read now."""
    station_ids = set(db.session.scalars(db.select(Station.id).where(Station.active)))
    # Plain rows, not ORM objects: checkout plans on the whole network every time.
    rows = db.session.execute(
        db.select(
            Link.id,
            Link.from_station_id,
            Link.to_station_id,
            Link.cost_per_run_fen,
            Link.cost_per_kg_fen,
            Link.transit_minutes,
            Link.cold_chain,
            Link.weekdays,
            Link.departs_at,
        )
        .where(Link.active)
        .order_by(Link.id)
    )
    return Network(station_ids=station_ids, edges=[Edge(*row) for row in rows])


def get_station_by_code(code: str) -> Station | None:
    """The station with this code (surrounding blanks ignored)."""
    return db.session.scalar(db.select(Station).where(Station.code == code.strip()))


def village_point_of(village: Region) -> Station | None:
    """The open village point of a village (a cooperative's home station), if it has one."""
    return db.session.scalar(
        db.select(Station)
        .where(
            Station.region_id == village.id,
            Station.kind == StationKind.village_point,
            Station.active,
        )
        .order_by(Station.id)
    )


def check_station(
    station: Station | None, *, code: str, kind: StationKind, region: Region, operators
) -> None:
    """Refuse a station whose code is taken, whose region does not fit its kind, or whose
    operators lack the station-operator role."""
    other = get_station_by_code(code)
    if other is not None and other is not station:
        raise Conflict(_l("Another station already has the code %(code)s.", code=code))
    if region is None or region.level != KIND_LEVEL[kind]:
        raise DomainError(
            _l(
                "A county centre belongs to a county, a township station to a township and a "
                "village point to a village."
            )
        )
    for user in operators:
        if not user.has_role(Role.station_operator):
            raise DomainError(
                _l("%(name)s is not a station operator; give the role first.", name=user.name)
            )


@verb
def save_station(station: Station | None, **fields) -> Station:
    """Create (station None) or update a station; `fields` are its columns plus `region`
    and `operators` (a list of users)."""
    kind = StationKind(fields["kind"])
    region = fields.pop("region")
    operators = list(fields.pop("operators", []))
    check_station(station, code=fields["code"], kind=kind, region=region, operators=operators)
    if station is None:
        station = Station()
        db.session.add(station)
    for key, value in fields.items():
        setattr(station, key, value)
    station.kind = kind
    station.region_id = region.id
    station.operators = operators
    db.session.flush()
    return station


def find_link(from_station: Station, to_station: Station | None, carrier: str | None):
    """The link with this key (from, to, carrier): the one CSV imports update."""
    if to_station is None:
        to_clause = Link.to_station_id.is_(None)
    else:
        to_clause = Link.to_station_id == to_station.id
    stmt = db.select(Link).where(
        Link.from_station_id == from_station.id,
        to_clause,
        db.func.coalesce(Link.carrier, "") == (carrier or ""),
    )
    return db.session.scalar(stmt)


def check_link(link: Link | None, *, from_station, to_station, carrier, weekdays: str) -> None:
    """Refuse a link to itself, an express link not from a county centre or without a
    carrier, a schedule without valid weekdays, or a second link with the same key."""
    if to_station is not None and to_station.id == from_station.id:
        raise DomainError(_l("A link must go to another station."))
    if to_station is None:
        if from_station.kind != StationKind.county_center:
            raise DomainError(_l("Only a county centre hands parcels to an express carrier."))
        if not carrier:
            raise DomainError(_l("Name the express carrier of a hand-over link."))
    if not weekdays or any(d not in WEEKDAYS for d in weekdays):
        raise DomainError(_l("Choose at least one weekday for the run."))
    other = find_link(from_station, to_station, carrier)
    if other is not None and other is not link:
        raise Conflict(_l("These two stations already have a link with this carrier."))


@verb
def save_link(link: Link | None, **fields) -> Link:
    """Create (link None) or update a link; `fields` are its columns with `from_station`
    and `to_station` (None: express hand-over) as stations."""
    from_station = fields.pop("from_station")
    to_station = fields.pop("to_station")
    weekdays = "".join(sorted(set(str(fields.pop("weekdays")))))
    carrier = (fields.pop("carrier", None) or "").strip() or None
    check_link(
        link, from_station=from_station, to_station=to_station, carrier=carrier, weekdays=weekdays
    )
    if not isinstance(fields.get("departs_at"), time):
        raise DomainError(_l("Give the departure time as HH:MM."))
    if link is None:
        link = Link()
        db.session.add(link)
    for key, value in fields.items():
        setattr(link, key, value)
    link.from_station_id = from_station.id
    link.to_station_id = to_station.id if to_station else None
    link.weekdays = weekdays
    link.carrier = carrier
    db.session.flush()
    return link


def links_of(station: Station) -> tuple[list[Link], list[Link]]:
    """(outgoing, incoming) links of a station."""
    out = db.session.scalars(
        db.select(Link).where(Link.from_station_id == station.id).order_by(Link.id)
    )
    into = db.session.scalars(
        db.select(Link).where(Link.to_station_id == station.id).order_by(Link.id)
    )
    return list(out), list(into)


def list_stations(*, q=None, kind=None, county_code=None, page=1, per_page=50):
    """A page of stations, filtered by text (code or name), kind and county."""
    stmt = db.select(Station).join(Region, Station.region_id == Region.id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            db.or_(
                Station.code.ilike(like), Station.name_zh.like(like), Station.name_en.ilike(like)
            )
        )
    if kind:
        stmt = stmt.where(Station.kind == StationKind(kind))
    if county_code:
        stmt = stmt.where(Region.code.startswith(county_code))
    stmt = stmt.order_by(Region.code, Station.kind, Station.code)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
