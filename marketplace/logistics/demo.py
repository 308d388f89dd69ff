"""Demo station network for the whole prefecture (idempotent: creates what is missing, never
changes rows that exist, so an administrator's edits survive a re-run).

8 county centres, a station in every township, a village point in every poverty village;
scheduled runs village <-> township (Monday and Thursday), township <-> county (daily),
county <-> Linxia City hub and between neighbouring counties (daily), and one express
carrier hand-over per county centre. Every distance and cost below is an ASSUMPTION (no
per-parcel cost for Linxia has been published); links carry cost_is_assumption=True.
"""

from datetime import time

from ..accounts.demo import DEMO_PASSWORD
from ..accounts.models import Role, User
from ..accounts.services import find_user_by_login, set_roles
from ..extensions import db
from ..regions.models import Region, RegionLevel
from .models import Link, Station, StationKind

HUB = "622901"  # Linxia City: the prefecture's trading hub
# Assumed road distance (km) from each county centre to the Linxia City hub.
HUB_KM = {
    "622921": 25,
    "622922": 70,
    "622923": 75,
    "622924": 55,
    "622925": 35,
    "622926": 30,
    "622927": 60,
}
# Neighbouring counties with a direct run (assumed km).
NEIGHBOURS = {
    ("622921", "622923"): 60,
    ("622921", "622927"): 45,
    ("622922", "622924"): 30,
    ("622922", "622925"): 35,
    ("622923", "622927"): 70,
    ("622924", "622926"): 40,
}
EXPRESS_CARRIER = "EMS 中国邮政速递 (示例)"
COLD_EXPRESS_CARRIER = "顺丰冷运 SF cold chain (示例)"
# Sample Village 1 of Chenjing (陈井镇), where the catalog demo puts the lily cooperative.
LILY_VILLAGE = "622923106201"
OPERATOR_VILLAGE_COUNTY = "622923"  # Yongjing: the lily cooperative's county
EXTRA_OPERATORS = (
    ("township@example.com", "乡镇服务站操作员 Township operator (示例)"),
    ("county@example.com", "县级服务中心操作员 County operator (示例)"),
)


def _link(origin, to, *, km, run_fen, kg_fen, minutes, cold, weekdays, at, carrier=None):
    return Link(
        from_station_id=origin.id,
        to_station_id=to.id if to is not None else None,
        distance_km=km,
        cost_per_run_fen=run_fen,
        cost_per_kg_fen=kg_fen,
        transit_minutes=minutes,
        cold_chain=cold,
        weekdays=weekdays,
        departs_at=at,
        carrier=carrier,
        cost_is_assumption=True,
    )


class _Builder:
    def __init__(self):
        self.stations = {s.code: s for s in db.session.scalars(db.select(Station))}
        self.links = {
            (link.from_station_id, link.to_station_id, link.carrier or "")
            for link in db.session.scalars(db.select(Link))
        }
        self.new_stations = self.new_links = 0

    def station(self, code, kind, region, name_zh, name_en, **fields) -> Station:
        station = self.stations.get(code)
        if station is None:
            station = Station(
                code=code, kind=kind, region_id=region.id, name_zh=name_zh, name_en=name_en,
                **fields,
            )  # fmt: skip
            db.session.add(station)
            self.stations[code] = station
            self.new_stations += 1
        return station

    def both_ways(self, a, b, *, up: time, down: time, **fields):
        self.link(a, b, at=up, **fields)
        self.link(b, a, at=down, **fields)

    def link(self, origin, to, **fields):
        key = (origin.id, to.id if to is not None else None, fields.get("carrier") or "")
        if key not in self.links:
            db.session.add(_link(origin, to, **fields))
            self.links.add(key)
            self.new_links += 1


def _operator_village(regions) -> Region | None:
    """The demo operator's village: the Chenjing lily cooperative's, else Yongjing's first
    poverty village by code."""
    villages = [
        r
        for r in regions
        if r.level == RegionLevel.village
        and r.is_poverty_village
        and r.code.startswith(OPERATOR_VILLAGE_COUNTY)
    ]
    preferred = next((r for r in villages if r.code == LILY_VILLAGE), None)
    return preferred or next(iter(villages), None)


def load(scale: str = "demo") -> str:
    """Create the demo network and give the demo operators their stations."""
    regions = db.session.scalars(db.select(Region).order_by(Region.code)).all()
    operator_village = _operator_village(regions)
    build = _Builder()
    centres, townships, centre_of_county = {}, {}, {}
    for county in (r for r in regions if r.level == RegionLevel.county):
        centres[county.id] = centre_of_county[county.code] = build.station(
            f"CC{county.code}", StationKind.county_center, county,
            f"{county.name_zh}电子商务服务中心", f"{county.name_en} E-commerce Service Centre",
            cold_chain=True, capacity_per_day=2000, opening_hours="08:00–20:00",
        )  # fmt: skip
    for township in (r for r in regions if r.level == RegionLevel.township):
        townships[township.id] = build.station(
            f"TS{township.code}", StationKind.township_station, township,
            f"{township.name_zh}电商服务站", f"{township.name_en} Service Station",
            cold_chain=True, capacity_per_day=300, opening_hours="08:30–18:00",
        )  # fmt: skip
    villages = {}
    for village in (r for r in regions if r.level == RegionLevel.village and r.is_poverty_village):
        # Insulated-box runs reach ordinary poverty villages; the remotest (deep-poverty)
        # villages have motorbike runs without cold chain, except the lily cooperative's.
        cold = not village.is_deep_poverty_village or village is operator_village
        villages[village.id] = build.station(
            f"VP{village.code}", StationKind.village_point, village,
            f"{village.name_zh}服务点", f"{village.name_en} village point",
            cold_chain=cold, capacity_per_day=60, opening_hours="08:00–20:00",
        )  # fmt: skip
    db.session.flush()

    for village_id, point in villages.items():
        township = townships[db.session.get(Region, village_id).parent_id]
        build.both_ways(
            point, township, up=time(8), down=time(13), weekdays="14", km=12,
            run_fen=2500, kg_fen=20, minutes=45, cold=point.cold_chain,
        )  # fmt: skip
    for township_id, station in townships.items():
        county_id = db.session.get(Region, township_id).parent_id
        urban = db.session.get(Region, county_id).code == HUB
        build.both_ways(
            station, centres[county_id], up=time(14), down=time(9), weekdays="1234567",
            km=8 if urban else 35, run_fen=6000, kg_fen=10, minutes=30 if urban else 90,
            cold=True,
        )  # fmt: skip
    pairs = [(code, HUB, km) for code, km in HUB_KM.items()]
    pairs += [(a, b, km) for (a, b), km in NEIGHBOURS.items()]
    for a, b, km in pairs:
        build.both_ways(
            centre_of_county[a], centre_of_county[b], up=time(16, 30), down=time(6),
            weekdays="1234567", km=km, run_fen=15000, kg_fen=5, minutes=km * 2, cold=True,
        )  # fmt: skip
    for centre in centres.values():
        build.link(
            centre, None, at=time(17), weekdays="1234567", km=0, run_fen=1000, kg_fen=800,
            minutes=48 * 60, cold=False, carrier=EXPRESS_CARRIER,
        )  # fmt: skip
        # A cold-chain express hand-over (dearer) for perishable goods sent to an address.
        build.link(
            centre, None, at=time(17), weekdays="1234567", km=0, run_fen=3000, kg_fen=1500,
            minutes=36 * 60, cold=True, carrier=COLD_EXPRESS_CARRIER,
        )  # fmt: skip
    db.session.flush()
    _assign_operators(build, operator_village)
    db.session.flush()
    return (
        f"{build.new_stations} stations and {build.new_links} links created "
        f"({len(centres)} county centres, {len(townships)} township stations, "
        f"{len(villages)} village points); every cost is an assumption"
    )


def _demo_operator(email: str, name: str) -> User:
    user = find_user_by_login(email)
    if user is None:
        user = User(email=email, name=name)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    set_roles(user, user.roles | {Role.station_operator})
    return user


def _assign_operators(build: _Builder, village: Region | None) -> None:
    """station@ runs the Yongjing village point; township@ and county@ the stations above it."""
    if village is None:
        return
    point = build.stations[f"VP{village.code}"]
    township = build.stations[f"TS{village.parent.code}"]
    centre = build.stations[f"CC{village.parent.parent.code}"]
    station_user = find_user_by_login("station@example.com")
    if station_user is not None and station_user not in point.operators:
        point.operators.append(station_user)
    for (email, name), station in zip(EXTRA_OPERATORS, (township, centre), strict=True):
        user = _demo_operator(email, name)
        if user not in station.operators:
            station.operators.append(user)
