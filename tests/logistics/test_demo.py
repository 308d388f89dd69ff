"""The demo network covers the prefecture, is connected, and loading it twice changes nothing."""

import pytest

from marketplace.accounts import demo as accounts_demo
from marketplace.clock import utcnow
from marketplace.extensions import db
from marketplace.logistics import demo
from marketplace.logistics.models import Link, Station, StationKind
from marketplace.logistics.network import load_network, village_point_of
from marketplace.logistics.planner import plan_route
from marketplace.regions.models import Region, RegionLevel
from marketplace.regions.services import load_sample_villages


@pytest.fixture
def network(app):
    load_sample_villages(per_township=2)
    accounts_demo.load()
    summary = demo.load()
    db.session.commit()
    return summary


def count(*where):
    return db.session.scalar(db.select(db.func.count()).select_from(Station).where(*where))


def test_every_county_township_and_poverty_village_has_a_station(network):
    poverty = db.session.scalar(
        db.select(db.func.count()).select_from(Region).where(Region.is_poverty_village)
    )
    assert count(Station.kind == StationKind.county_center) == 8
    assert count(Station.kind == StationKind.township_station) == 131
    assert count(Station.kind == StationKind.village_point) == poverty > 0
    express = db.session.scalars(db.select(Link).where(Link.to_station_id.is_(None))).all()
    # Per county centre: an ordinary and a cold-chain express hand-over.
    assert len(express) == 16 and all(link.carrier for link in express)
    assert sum(link.cold_chain for link in express) == 8
    assert all(db.session.scalars(db.select(Link.cost_is_assumption)))
    assert "every cost is an assumption" in network


def test_the_demo_operator_runs_the_lily_cooperatives_village_point(network):
    village = db.session.scalar(db.select(Region).where(Region.code == "622923106201"))
    assert village.is_poverty_village
    point = village_point_of(village)
    assert [u.email for u in point.operators] == ["station@example.com"]
    assert point.cold_chain  # the lily cooperative's fresh lilies leave from here


def test_every_village_point_can_be_reached_from_the_lily_village(network):
    village = db.session.scalars(
        db.select(Region)
        .where(Region.is_poverty_village, Region.code.startswith("622923"))
        .order_by(Region.code)
    ).first()
    origin = village_point_of(village)
    graph = load_network()
    for county in db.session.scalars(db.select(Region).where(Region.level == RegionLevel.county)):
        target = db.session.scalars(
            db.select(Station)
            .join(Region, Region.id == Station.region_id)
            .where(Station.kind == StationKind.village_point, Region.code.startswith(county.code))
        ).first()
        route = plan_route(graph, origin.id, target.id, cold_chain=False, depart_after=utcnow())
        assert route.station_ids[-1] == target.id
    express = plan_route(graph, origin.id, None, cold_chain=False, depart_after=utcnow())
    assert express.express


def test_loading_the_demo_again_changes_nothing(network):
    stations = count()
    links = db.session.scalar(db.select(db.func.count()).select_from(Link))
    assert demo.load().startswith("0 stations and 0 links created")
    assert count() == stations
    assert db.session.scalar(db.select(db.func.count()).select_from(Link)) == links
