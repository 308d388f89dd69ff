"""Route planning on the station graph: a pure function of (network, origin, destination,
constraints). No database and never reads the clock: the caller builds the `Network` and
passes the time.

Rules:
- The cheapest path wins. A link's cost for one parcel is what the run would cost if the
  parcel travelled alone: cost per run + cost per kg x weight (rounded half up to the fen).
  Ties go to the earlier arrival, then to fewer hops.
- A cold-chain parcel only uses links marked cold chain (the simplest rule: the link's
  vehicle keeps the goods cold; stations hold cold-chain parcels only between runs).
- Schedules are Beijing time (UTC+8, no daylight saving); every datetime in and out of this
  module is naive UTC, like the rest of the application.
- The ETA follows the schedules: on each link, the next departure at or after the arrival
  at its first station, plus the link's transit time.
- `destination_id=None` asks for the cheapest express hand-over: a path ending with a link
  whose `to_id` is None (a county centre handing the parcel to an express carrier).
"""

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from ..clock import to_local, to_utc
from ..errors import Conflict

DEFAULT_WEIGHT_G = 1000


class NoRoute(Conflict):
    """No path from the origin to the destination on the active network."""

    code = "no_route"


class NoColdChainRoute(NoRoute):
    """A path exists, but not one that keeps a perishable parcel cold all the way."""

    code = "no_cold_chain_route"


@dataclass(frozen=True)
class Edge:
    """One link as the planner sees it; `to_id` None is an express hand-over."""

    id: int
    from_id: int
    to_id: int | None
    cost_per_run_fen: int = 0
    cost_per_kg_fen: int = 0
    transit_minutes: int = 60
    cold_chain: bool = False
    weekdays: str = "1234567"  # ISO weekdays the run departs: "14" = Monday and Thursday
    departs_at: time = time(8, 0)  # Beijing time

    def cost_fen(self, weight_g: int) -> int:
        """What one run carrying `weight_g` grams costs, in whole fen (half up)."""
        return self.cost_per_run_fen + (self.cost_per_kg_fen * weight_g + 500) // 1000

    def next_departure(self, after: datetime) -> datetime | None:
        """The first departure at or after `after` (naive UTC); None if the link never runs."""
        local = to_local(after)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            if str(day.isoweekday()) not in self.weekdays:
                continue
            candidate = datetime.combine(day, self.departs_at)
            if candidate >= local:
                return to_utc(candidate)
        return None

    def arrival(self, departure: datetime) -> datetime:
        """When a run that leaves at `departure` arrives."""
        return departure + timedelta(minutes=self.transit_minutes)


@dataclass
class Network:
    """The active stations and links; build it once per request (services.load_network)."""

    station_ids: set[int]
    edges: list[Edge]
    _out: dict[int, list[Edge]] = field(init=False, repr=False)
    _by_id: dict[int, Edge] = field(init=False, repr=False)

    def __post_init__(self):
        self._out = defaultdict(list)
        self._by_id = {edge.id: edge for edge in self.edges}
        for edge in self.edges:
            usable_end = edge.to_id is None or edge.to_id in self.station_ids
            if edge.from_id in self.station_ids and usable_end and edge.weekdays:
                self._out[edge.from_id].append(edge)

    def outgoing(self, station_id: int) -> list[Edge]:
        """The usable links leaving a station."""
        return self._out.get(station_id, [])

    def edge(self, edge_id: int) -> Edge:
        """One link by id (KeyError if unknown)."""
        return self._by_id[edge_id]


@dataclass(frozen=True)
class Route:
    """A planned way: stations in order, the links between them (an express link last, if
    any), the cost if the parcel travelled alone, each link's departure, and the ETA."""

    station_ids: tuple[int, ...]
    link_ids: tuple[int, ...]
    cost_fen: int
    departures: tuple[datetime, ...]
    eta: datetime

    @property
    def express(self) -> bool:
        """True if the route ends with an express hand-over link."""
        return len(self.link_ids) == len(self.station_ids)


_SINK = "express"  # the virtual node every express link leads to


def plan_route(
    network: Network,
    origin_id: int,
    destination_id: int | None,
    *,
    cold_chain: bool,
    depart_after: datetime,
    weight_g: int = DEFAULT_WEIGHT_G,
) -> Route:
    """The cheapest route from origin to destination (None: to an express hand-over).

    Raises NoColdChainRoute when only a path that breaks the cold chain exists, NoRoute
    when there is no path at all (or a station is not in the active network).
    """
    route = _dijkstra(network, origin_id, destination_id, cold_chain, depart_after, weight_g)
    if route is not None:
        return route
    if cold_chain and _dijkstra(network, origin_id, destination_id, False, depart_after, weight_g):
        raise NoColdChainRoute(
            _l(
                "No cold-chain route reaches this pickup point: perishable goods cannot be "
                "sent there. Please choose another pickup point."
            )
        )
    raise NoRoute(_l("This pickup point cannot be reached from the cooperative's village point."))


def _dijkstra(network, origin_id, destination_id, cold_chain, depart_after, weight_g):
    if origin_id not in network.station_ids:
        return None
    target = _SINK if destination_id is None else destination_id
    if target != _SINK and target not in network.station_ids:
        return None
    # Labels are (cost, arrival, hops): lexicographic, so equal costs prefer earlier arrival.
    # Waiting for the next run keeps arrival order (FIFO), which keeps Dijkstra exact.
    best = {origin_id: (0, depart_after, 0)}
    previous: dict = {}
    tie = itertools.count()
    queue = [(0, depart_after, 0, next(tie), origin_id)]
    while queue:
        cost, arrival, hops, _, node = heapq.heappop(queue)
        if best.get(node) != (cost, arrival, hops):
            continue
        if node == target:
            return _unwind(previous, origin_id, target, cost, arrival)
        if node == _SINK:
            continue
        for edge in network.outgoing(node):
            if cold_chain and not edge.cold_chain:
                continue
            if edge.to_id is None and target != _SINK:
                continue
            departure = edge.next_departure(arrival)
            if departure is None:
                continue
            label = (cost + edge.cost_fen(weight_g), edge.arrival(departure), hops + 1)
            head = _SINK if edge.to_id is None else edge.to_id
            if head not in best or label < best[head]:
                best[head] = label
                previous[head] = (node, edge, departure)
                heapq.heappush(queue, (*label, next(tie), head))
    return None


def _unwind(previous, origin_id, target, cost, arrival) -> Route:
    stations, links, departures = [], [], []
    node = target
    while node != origin_id:
        before, edge, departure = previous[node]
        if node != _SINK:
            stations.append(node)
        links.append(edge.id)
        departures.append(departure)
        node = before
    stations.append(origin_id)
    return Route(
        station_ids=tuple(reversed(stations)),
        link_ids=tuple(reversed(links)),
        cost_fen=cost,
        departures=tuple(reversed(departures)),
        eta=arrival,
    )


def eta_along(edges: list[Edge], depart_after: datetime) -> datetime | None:
    """Arrival at the end of a fixed sequence of links leaving at or after `depart_after`.

    None if one of the links never runs.
    """
    moment = depart_after
    for edge in edges:
        departure = edge.next_departure(moment)
        if departure is None:
            return None
        moment = edge.arrival(departure)
    return moment
