"""Parcels waiting at a station are consolidated onto scheduled runs that share their cost."""

from datetime import datetime, timedelta

import pytest

from marketplace.clock import to_utc
from marketplace.extensions import db
from marketplace.logistics.consolidation import consolidate
from marketplace.logistics.models import Manifest, ManifestParcel, ManifestStatus, ParcelStatus
from marketplace.logistics.scans import record_scan
from marketplace.logistics.services import cancel_parcel

pytestmark = pytest.mark.usefixtures("english")


def beijing(day, hour, minute=0):
    return to_utc(datetime(2026, 9, day, hour, minute))


def receive(parcels, line, at):
    for parcel in parcels:
        record_scan(parcel, line.a, "received", line.ops["A"], at=at)
    db.session.commit()


def entries_of(manifest):
    return sorted(manifest.entries, key=lambda e: e.parcel_id)


def test_three_parcels_share_one_run_and_its_cost_exactly(line, place_order):
    run = line.links[(line.a.code, line.t1.code)]
    run.cost_per_run_fen, run.cost_per_kg_fen = 1000, 5
    parcels = [place_order(quantity=1, now=beijing(7, 6)).parcel for _ in range(3)]
    receive(parcels, line, at=beijing(7, 7))
    manifests = db.session.scalars(db.select(Manifest)).all()
    assert len(manifests) == 1
    manifest = manifests[0]
    assert manifest.link_id == run.id and manifest.departs_at == beijing(7, 8)
    assert manifest.cost_fen == 1000 + 15  # 3 kg at 5 fen
    shares = [e.cost_share_fen for e in entries_of(manifest)]
    assert shares == [339, 338, 338] and sum(shares) == manifest.cost_fen


def test_shares_follow_weight(line, place_order):
    run = line.links[(line.a.code, line.t1.code)]
    run.cost_per_run_fen, run.cost_per_kg_fen = 1000, 0
    light = place_order(quantity=1, weight_g=1000, now=beijing(7, 6)).parcel
    heavy = place_order(quantity=3, weight_g=1000, now=beijing(7, 6)).parcel
    receive([light, heavy], line, at=beijing(7, 7))
    shares = {e.parcel_id: e.cost_share_fen for e in db.session.scalars(db.select(ManifestParcel))}
    assert shares == {light.id: 250, heavy.id: 750}


def test_parcels_over_capacity_wait_for_the_next_day_oldest_first(line, place_order):
    line.a.capacity_per_day = 2
    old, middle, new = (place_order(now=beijing(7, h)).parcel for h in (1, 2, 3))
    planned_eta = new.eta
    receive([new, middle, old], line, at=beijing(7, 7))  # the newest is handed in first
    runs = {
        e.parcel_id: e.manifest.departs_at for e in db.session.scalars(db.select(ManifestParcel))
    }
    assert runs == {old.id: beijing(7, 8), middle.id: beijing(7, 8), new.id: beijing(8, 8)}
    assert new.eta == planned_eta + timedelta(days=1)
    assert old.eta == planned_eta


def test_a_parcel_handed_in_after_the_run_goes_on_the_next_one(line, place_order):
    parcel = place_order(now=beijing(7, 6)).parcel
    receive([parcel], line, at=beijing(7, 9))
    entry = db.session.scalars(db.select(ManifestParcel)).one()
    assert entry.manifest.departs_at == beijing(8, 8)


def test_departure_and_arrival_move_the_manifest_along(line, place_order):
    first, second = (place_order(now=beijing(7, 6)).parcel for _ in range(2))
    receive([first, second], line, at=beijing(7, 7))
    manifest = db.session.scalars(db.select(Manifest)).one()
    record_scan(first, line.a, "departed", line.ops["A"], at=beijing(7, 8, 5))
    record_scan(second, line.a, "departed", line.ops["A"], at=beijing(7, 8, 6))
    assert manifest.status == ManifestStatus.departed
    record_scan(first, line.t1, "arrived", line.ops["T1"], at=beijing(7, 9))
    assert manifest.status == ManifestStatus.departed
    record_scan(second, line.t1, "arrived", line.ops["T1"], at=beijing(7, 9, 1))
    assert manifest.status == ManifestStatus.arrived
    # At T1 both wait for the 14:00 run to the county centre, on one new manifest.
    onward = db.session.scalars(db.select(Manifest).where(Manifest.id != manifest.id)).one()
    assert onward.departs_at == beijing(7, 14) and len(onward.entries) == 2


def test_a_missed_run_is_replanned_and_the_eta_moves(line, place_order):
    parcel = place_order(now=beijing(7, 6)).parcel
    receive([parcel], line, at=beijing(7, 7))
    eta = parcel.eta
    consolidate(line.a, now=beijing(7, 12))  # nobody scanned the 08:00 departure
    entry = db.session.scalars(db.select(ManifestParcel)).one()
    assert entry.manifest.departs_at == beijing(8, 8)
    assert parcel.eta == eta + timedelta(days=1)
    assert db.session.scalar(db.select(db.func.count()).select_from(Manifest)) == 1


def test_a_cancelled_parcel_leaves_its_run_and_frees_its_place(line, place_order):
    line.a.capacity_per_day = 1
    first, second = (place_order(now=beijing(7, h)).parcel for h in (1, 2))
    receive([first, second], line, at=beijing(7, 7))
    cancel_parcel(first, at=beijing(7, 7, 30))
    assert first.status == ParcelStatus.cancelled
    entries = db.session.scalars(db.select(ManifestParcel)).all()
    assert [(e.parcel_id, e.manifest.departs_at) for e in entries] == [(second.id, beijing(7, 8))]
