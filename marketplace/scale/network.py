"""The places and the station network: the villages topped up to the prefecture's 1,090, a
county centre per county, a station in every township, a village point in every poverty
village, scheduled links between them and one express hand-over per county centre."""

import random
from dataclasses import dataclass, field
from datetime import time

import sqlalchemy as sa

from ..extensions import db
from .bulk import BulkWriter, next_id
from .vocabulary import CARRIERS

HUB_COUNTY = "622901"  # Linxia City: the urban hub every county centre runs to daily
STATION_COLUMNS = (
    "id", "code", "kind", "region_id", "name_zh", "name_en", "address", "opening_hours",
    "cold_chain", "capacity_per_day", "active",
)  # fmt: skip
LINK_COLUMNS = (
    "id", "from_station_id", "to_station_id", "distance_km", "cost_per_run_fen",
    "cost_per_kg_fen", "transit_minutes", "cold_chain", "weekdays", "departs_at", "carrier",
    "cost_is_assumption", "active",
)  # fmt: skip
REGION_COLUMNS = (
    "id", "code", "name_zh", "name_en", "level", "parent_id", "is_poverty_village",
    "is_deep_poverty_village", "is_sample",
)  # fmt: skip


@dataclass
class Network:
    """Regions and stations as plain values, and how to route between village points."""

    county_of: dict[int, int] = field(default_factory=dict)  # region id -> county region id
    township_of: dict[int, int] = field(default_factory=dict)  # village id -> township id
    code_of: dict[int, str] = field(default_factory=dict)
    names: dict[int, tuple[str, str]] = field(default_factory=dict)
    villages: list[int] = field(default_factory=list)
    poverty: set[int] = field(default_factory=set)
    deep: set[int] = field(default_factory=set)
    counties: list[int] = field(default_factory=list)
    station_of: dict[int, int] = field(default_factory=dict)  # region id -> its station id
    village_points: list[int] = field(default_factory=list)
    station_region: dict[int, int] = field(default_factory=dict)
    station_kind: dict[int, str] = field(default_factory=dict)
    # Stations whose links keep the cold chain: the county centres, some township stations,
    # and the village points under those with their own cooler. Perishable goods travel only
    # between cold stations (the route planner's rule), so the history respects it too.
    cold: set[int] = field(default_factory=set)
    link_of: dict[tuple[int, int | None], int] = field(default_factory=dict)
    hub: int = 0  # station id of the express hand-over hub
    new_villages: int = 0

    def route(self, origin: int, destination: int) -> tuple[list[int], list[int]]:
        """(station ids, link ids) from a village point to a pickup station along the tree."""
        if self.station_kind[destination] == "county_center":  # express via the hub
            up = self._up(origin)
            path = up if up[-1] == self.hub else [*up, self.hub]
            links = [self.link_of[a, b] for a, b in zip(path, path[1:], strict=False)]
            return path, [*links, self.link_of[self.hub, None]]
        up, down = self._up(origin), list(reversed(self._up(destination)))
        if origin == destination:
            path = [origin]
        elif up[1] == down[-2]:  # same township
            path = [origin, up[1], destination]
        elif up[2] == down[0]:  # same county
            path = [*up, *down[1:]]
        elif self.hub in (up[2], down[0]):
            path = [*up, *down]
        else:
            path = [*up, self.hub, *down]
        return path, [self.link_of[a, b] for a, b in zip(path, path[1:], strict=False)]

    def _up(self, village_point: int) -> list[int]:
        village = self.station_region[village_point]
        township = self.township_of[village]
        return [village_point, self.station_of[township], self.station_of[self.county_of[village]]]


def build_network(writer: BulkWriter, rng: random.Random, target_villages: int) -> Network:
    """Top the villages up to `target_villages`, then write stations and links."""
    net = Network()
    _top_up_villages(writer, rng, target_villages, net)
    _read_regions(net)
    _write_stations(writer, rng, net)
    _write_links(writer, rng, net)
    return net


def _regions():
    return db.session.execute(
        sa.text(
            "SELECT id, code, level, parent_id, name_zh, name_en, is_poverty_village, "
            "is_deep_poverty_village FROM regions ORDER BY code"
        )
    ).all()


def _top_up_villages(writer, rng, target, net) -> None:
    rows = _regions()
    townships = [r for r in rows if r.level == "township"]
    if not townships:
        raise RuntimeError("load the region tree first (the regions demo loader)")
    codes = {r.code for r in rows}
    per_township = {t.id: 0 for t in townships}
    for r in rows:
        if r.level == "village" and r.parent_id in per_township:
            per_township[r.parent_id] += 1
    missing = target - sum(per_township.values())
    new_rows = []
    region_id = next_id("regions")
    # The townships with the fewest villages get the extra ones, in a seeded order.
    order = sorted(townships, key=lambda t: (per_township[t.id], rng.random()))
    for i in range(max(0, missing)):
        township = order[i % len(order)]
        per_township[township.id] += 1
        n = per_township[township.id]
        suffix = 300 + n  # the regions demo numbers its villages from 201
        while f"{township.code}{suffix:03d}" in codes:
            suffix += 1
        code = f"{township.code}{suffix:03d}"
        codes.add(code)
        roll = rng.random()  # the paper's proportions: 560 poverty, 412 deep of ~1,090
        new_rows.append(
            (
                region_id,
                code,
                f"{township.name_zh.rstrip('镇乡街道')}示例{n}村",
                f"Sample Village {n}, {township.name_en}",
                "village",
                township.id,
                roll < 0.51,
                roll < 0.38,
                True,
            )
        )
        region_id += 1
    writer.write("regions", REGION_COLUMNS, new_rows)
    net.new_villages = len(new_rows)


def _read_regions(net: Network) -> None:
    parent = {}
    for r in _regions():
        parent[r.id] = r.parent_id
        net.code_of[r.id] = r.code
        net.names[r.id] = (r.name_zh, r.name_en or r.name_zh)
        if r.level == "county":
            net.counties.append(r.id)
        elif r.level == "village":
            net.villages.append(r.id)
            if r.is_poverty_village:
                net.poverty.add(r.id)
            if r.is_deep_poverty_village:
                net.deep.add(r.id)
    for village in net.villages:
        net.township_of[village] = parent[village]
    for region in parent:
        county = region
        while county is not None and county not in net.counties:
            county = parent.get(county)
        if county is not None:
            net.county_of[region] = county


def _write_stations(writer, rng, net) -> None:
    sid = next_id("stations")
    rows = []

    def add(kind, region, name_zh, name_en, cold, capacity, hours):
        nonlocal sid
        if cold:
            net.cold.add(sid)
        prefix = {"county_center": "CC", "township_station": "TS", "village_point": "VP"}[kind]
        rows.append(
            (sid, f"{prefix}{net.code_of[region]}", kind, region, name_zh, name_en, None,
             hours, cold, capacity, True)
        )  # fmt: skip
        net.station_of[region] = sid
        net.station_region[sid] = region
        net.station_kind[sid] = kind
        sid += 1

    for county in net.counties:
        zh, en = net.names[county]
        add("county_center", county, f"{zh}电子商务公共服务中心",
            f"{en} e-commerce service centre", True, 5000, "08:00-20:00")  # fmt: skip
        if net.code_of[county] == HUB_COUNTY:
            net.hub = sid - 1
    for township in sorted(set(net.township_of.values()), key=net.code_of.get):
        zh, en = net.names[township]
        add("township_station", township, f"{zh}电商服务站", f"{en} e-commerce station",
            rng.random() < 0.6, 500, "08:30-18:00")  # fmt: skip
    for village in net.villages:
        if village in net.poverty:
            zh, en = net.names[village]
            cold = net.station_of[net.township_of[village]] in net.cold and rng.random() < 0.6
            add("village_point", village, f"{zh}村级服务点", f"{en} village point",
                cold, 80, "09:00-12:00, 14:00-18:00")  # fmt: skip
            net.village_points.append(sid - 1)
    writer.write("stations", STATION_COLUMNS, rows)


def _write_links(writer, rng, net) -> None:
    lid = next_id("links")
    rows = []
    cold = net.cold

    def add(a, b, km, weekdays, departs, minutes, cold_chain, carrier=None, per_kg=None):
        nonlocal lid
        rows.append(
            (lid, a, b, km, 1500 + 120 * km, per_kg or 30 + km, minutes, cold_chain, weekdays,
             departs, carrier, True, True)
        )  # fmt: skip
        net.link_of[a, b] = lid
        lid += 1

    for vp in net.village_points:
        ts = net.station_of[net.township_of[net.station_region[vp]]]
        km, days = rng.randint(3, 25), rng.choice(("14", "25", "36", "135"))
        add(vp, ts, km, days, time(8, 0), 20 + 3 * km, vp in cold)
        add(ts, vp, km, days, time(15, 0), 20 + 3 * km, vp in cold)
    for township in sorted(set(net.township_of.values()), key=net.code_of.get):
        ts, cc = net.station_of[township], net.station_of[net.county_of[township]]
        km = rng.randint(8, 60)
        add(ts, cc, km, "1234567", time(14, 0), 30 + 2 * km, ts in cold)
        add(cc, ts, km, "1234567", time(7, 0), 30 + 2 * km, ts in cold)
    for county in net.counties:
        cc = net.station_of[county]
        if cc != net.hub:
            km = rng.randint(15, 90)
            add(cc, net.hub, km, "1234567", time(18, 0), 30 + 2 * km, True)
            add(net.hub, cc, km, "1234567", time(6, 0), 30 + 2 * km, True)
    for county in net.counties:  # express hand-over for addresses outside the network
        cc = net.station_of[county]
        add(cc, None, 0, "1234567", time(17, 0), 2 * 24 * 60, True, rng.choice(CARRIERS), 800)
    writer.write("links", LINK_COLUMNS, rows)
