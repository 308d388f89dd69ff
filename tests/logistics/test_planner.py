"""Route planning on a small hand-drawn network (pure: no database, no clock).

V1 --e1 cold, Mon+Thu 08:00--> T1 ==e2 cold, daily 14:00==> C1 --e4 cold, 09:00--> T2
                               T1 --e3 cheap, not cold, 15:00--> C1
T2 --e5 not cold, Mon+Thu 13:00--> V2          C1 --e6 express, 17:00--> (carrier)
V3 has no links at all; e8 (V1 -> C1, free) never runs.
"""

from datetime import datetime, time

import pytest

from marketplace.clock import to_utc
from marketplace.logistics.planner import (
    Edge,
    Network,
    NoColdChainRoute,
    NoRoute,
    eta_along,
    plan_route,
)

V1, T1, C1, T2, V2, V3 = 1, 2, 3, 4, 5, 6
E = {
    "e1": Edge(1, V1, T1, 3000, 20, 60, True, "14", time(8)),
    "e2": Edge(2, T1, C1, 8000, 10, 120, True, "1234567", time(14)),
    "e3": Edge(3, T1, C1, 5000, 10, 180, False, "1234567", time(15)),
    "e4": Edge(4, C1, T2, 8000, 0, 120, True, "1234567", time(9)),
    "e5": Edge(5, T2, V2, 3000, 0, 60, False, "14", time(13)),
    "e6": Edge(6, C1, None, 1000, 1000, 2880, True, "1234567", time(17)),
    "e8": Edge(8, V1, C1, 0, 0, 10, True, "", time(8)),
}
MONDAY_7AM = to_utc(datetime(2026, 9, 7, 7, 0))  # Beijing time; 2026-09-07 is a Monday


def local(day, hour, minute=0):
    return to_utc(datetime(2026, 9, day, hour, minute))


@pytest.fixture
def network():
    return Network(station_ids={V1, T1, C1, T2, V2, V3}, edges=list(E.values()))


def test_the_cheapest_path_is_chosen_and_its_eta_follows_the_schedules(network):
    route = plan_route(network, V1, V2, cold_chain=False, depart_after=MONDAY_7AM)
    assert route.station_ids == (V1, T1, C1, T2, V2)
    assert route.link_ids == (1, 3, 4, 5)  # the cheaper T1 -> C1 run, not the cold one
    assert route.cost_fen == 3020 + 5010 + 8000 + 3000
    # Mon 08:00 -> 09:00; Mon 15:00 -> 18:00; Tue 09:00 -> 11:00; next Mon/Thu run: Thu 13:00.
    assert route.departures == (local(7, 8), local(7, 15), local(8, 9), local(10, 13))
    assert route.eta == local(10, 14)
    assert not route.express


def test_a_cold_chain_parcel_only_uses_cold_chain_links(network):
    route = plan_route(network, V1, T2, cold_chain=True, depart_after=MONDAY_7AM)
    assert route.link_ids == (1, 2, 4)
    assert route.cost_fen == 3020 + 8010 + 8000


def test_no_cold_chain_path_is_refused_with_its_own_error(network):
    with pytest.raises(NoColdChainRoute) as error:
        plan_route(network, V1, V2, cold_chain=True, depart_after=MONDAY_7AM)
    assert "cold" in str(error.value.message)


def test_an_unreachable_pickup_point_is_refused(network):
    with pytest.raises(NoRoute) as error:
        plan_route(network, V1, V3, cold_chain=False, depart_after=MONDAY_7AM)
    assert not isinstance(error.value, NoColdChainRoute)
    assert "cannot be reached" in str(error.value.message)
    with pytest.raises(NoRoute):
        plan_route(network, V3, V1, cold_chain=False, depart_after=MONDAY_7AM)


def test_a_station_outside_the_active_network_is_unreachable(network):
    network = Network(station_ids={V1, T1, C1, V2, V3}, edges=list(E.values()))  # T2 closed
    with pytest.raises(NoRoute):
        plan_route(network, V1, V2, cold_chain=False, depart_after=MONDAY_7AM)


def test_origin_and_pickup_at_one_station_is_a_one_station_route(network):
    route = plan_route(network, V1, V1, cold_chain=True, depart_after=MONDAY_7AM)
    assert route.station_ids == (V1,) and route.link_ids == ()
    assert route.cost_fen == 0 and route.eta == MONDAY_7AM


def test_a_missed_run_means_waiting_for_the_next_scheduled_one(network):
    route = plan_route(network, V1, T1, cold_chain=False, depart_after=local(7, 8, 1))
    assert route.departures == (local(10, 8),)  # Monday's run has gone: Thursday's
    assert route.eta == local(10, 9)


def test_a_link_that_never_runs_is_not_used(network):
    route = plan_route(network, V1, C1, cold_chain=True, depart_after=MONDAY_7AM)
    assert 8 not in route.link_ids


def test_express_destination_ends_with_the_carrier_hand_over(network):
    route = plan_route(network, V1, None, cold_chain=False, depart_after=MONDAY_7AM)
    assert route.express
    assert route.station_ids == (V1, T1, C1)
    assert route.link_ids == (1, 3, 6)
    assert route.eta == local(10, 17)  # at C1 Mon 18:00; carrier Tue 17:00 + 2 days


def test_equal_costs_prefer_the_earlier_arrival():
    slow = Edge(1, V1, T1, 100, 0, 600, False, "1234567", time(8))
    fast = Edge(2, V1, T1, 100, 0, 30, False, "1234567", time(9))
    network = Network(station_ids={V1, T1}, edges=[slow, fast])
    route = plan_route(network, V1, T1, cold_chain=False, depart_after=MONDAY_7AM)
    assert route.link_ids == (2,)


def test_cost_per_kg_is_rounded_half_up_to_the_fen():
    edge = Edge(1, V1, T1, cost_per_run_fen=100, cost_per_kg_fen=15)
    assert edge.cost_fen(1500) == 100 + 23  # 22.5 fen
    assert edge.cost_fen(1400) == 100 + 21  # 21.0 fen
    assert edge.cost_fen(0) == 100


def test_schedules_are_beijing_time():
    edge = Edge(1, V1, T1, weekdays="1", departs_at=time(8))
    sunday_utc_late = datetime(2026, 9, 6, 23, 30)  # Monday 07:30 in Beijing
    assert edge.next_departure(sunday_utc_late) == datetime(2026, 9, 7, 0, 0)


def test_eta_along_a_fixed_route(network):
    assert eta_along([E["e1"], E["e2"]], MONDAY_7AM) == local(7, 16)
    assert eta_along([E["e8"]], MONDAY_7AM) is None
