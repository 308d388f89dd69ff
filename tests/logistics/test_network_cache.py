"""The planner's station network is cached per process and rebuilt once a station or link
changes (added, edited, closed), in this process or, through the stamp, in any other."""

from datetime import datetime

from marketplace.extensions import db
from marketplace.logistics.models import Link, NetworkStamp
from marketplace.logistics.network import load_network, touch_network
from marketplace.logistics.planner import plan_route

MONDAY = {"cold_chain": False, "depart_after": datetime(2026, 11, 30, 0, 0)}


def test_an_unchanged_network_is_served_from_the_cache(line):
    first = load_network()
    assert load_network() is first
    assert {e.from_id for e in first.edges} == {
        s.id for s in (line.a, line.t1, line.c, line.t2)
    } | {line.b.id}


def test_a_changed_link_cost_is_seen_by_the_next_plan(line):
    before = plan_route(load_network(), line.a.id, line.t1.id, **MONDAY)
    line.links[(line.a.code, line.t1.code)].cost_per_run_fen = 9000
    db.session.commit()
    after = plan_route(load_network(), line.a.id, line.t1.id, **MONDAY)
    assert after.cost_fen - before.cost_fen == 6000  # the run cost went from 3,000 to 9,000


def test_a_closed_station_and_a_new_link_are_seen(line):
    network = load_network()
    assert network.outgoing(line.t1.id)
    line.t1.active = False
    db.session.commit()
    assert not load_network().outgoing(line.a.id)  # its only link leads to the closed T1

    shortcut = Link(from_station_id=line.a.id, to_station_id=line.c.id, cost_per_run_fen=1)
    db.session.add(shortcut)
    db.session.commit()
    assert [e.id for e in load_network().outgoing(line.a.id)] == [shortcut.id]


def test_a_change_made_by_another_process_is_seen_through_the_stamp(line):
    cached = load_network()
    # Another process changed a link with plain SQL and moved the stamp: this process's
    # ORM saw nothing, only the stamp.
    link = line.links[(line.c.code, line.t2.code)]
    db.session.execute(Link.__table__.update().where(Link.id == link.id).values(transit_minutes=5))
    touch_network()
    db.session.commit()
    fresh = load_network()
    assert fresh is not cached and fresh.edge(link.id).transit_minutes == 5
    assert db.session.get(NetworkStamp, 1).stamp
