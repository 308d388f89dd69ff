"""Issue 19 item 10: scan buttons say what they do, the scan list starts on the step the
server would allow, packing at hand-in is recorded, parcel codes as QR and Code 128."""

import re

from marketplace.extensions import db
from marketplace.logistics.codes import code128_modules, code128_svg, qr_svg
from marketplace.logistics.scans import record_scan
from marketplace.orders.actions import PACKED_AT_HAND_IN
from marketplace.status import StatusEvent


def _selected(page: str) -> str:
    select = page[page.index('name="action"') :]
    select = select[: select.index("</select>")]
    pattern = r'<option selected value="([a-z_]+)"|<option value="([a-z_]+)" selected'
    return re.search(pattern, select)


def test_buttons_name_the_action_not_the_state(client, auth, line, place_order):
    parcel = place_order().parcel
    auth.login("op-a@example.com")
    page = client.get(f"/stations/{line.a.id}").get_data(as_text=True)
    button = re.search(rf'data-testid="quick-received-{parcel.code}">([^<]+)<', page).group(1)
    assert button == "Receive parcel"
    assert ">Received<" not in page


def test_the_scan_list_starts_on_the_step_the_parcel_expects(client, auth, line, place_order):
    parcel = place_order().parcel
    record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()
    auth.login("op-a@example.com")
    page = client.get(f"/stations/{line.a.id}?code={parcel.code}").get_data(as_text=True)
    chosen = _selected(page)
    assert chosen and "departed" in chosen.groups()
    # The first option is that step too.
    options = re.findall(r'<option[^>]*value="([a-z_]+)"', page[page.index('name="action"') :])
    assert options[0] == "departed"


def test_a_refused_scan_comes_back_with_the_code_and_the_allowed_step(
    client, auth, line, place_order
):
    parcel = place_order().parcel
    auth.login("op-a@example.com")
    answer = client.post(
        f"/stations/{line.a.id}/scan", data={"code": parcel.code, "action": "departed"}
    )
    assert answer.status_code == 302 and f"code={parcel.code}" in answer.location
    page = client.get(answer.location).get_data(as_text=True)
    assert "received" in _selected(page).groups()


def test_a_parcel_handed_in_unpacked_is_packed_by_the_station_and_it_says_so(line, place_order):
    parcel = place_order().parcel
    assert parcel.fulfilment.status == "to_pack"
    record_scan(parcel, line.a, "received", line.ops["A"])
    event = db.session.scalars(
        db.select(StatusEvent).where(
            StatusEvent.subject == "fulfilment",
            StatusEvent.subject_id == parcel.fulfilment.id,
            StatusEvent.to_status == "packed",
        )
    ).one()
    assert event.note == PACKED_AT_HAND_IN and event.by_id == line.ops["A"].id


def test_code128_matches_the_standard_for_a_known_code():
    # Start B (11010010000), "A" (10100011000), checksum, stop (1100011101011).
    bars = code128_modules("PA12")
    assert bars.startswith("11010010000") or bars.startswith("11010011100")
    assert bars.endswith("1100011101011")
    svg = code128_svg("PA12")
    assert svg.startswith("<svg") and 'aria-label="PA12"' in svg
    assert "<svg" in qr_svg("PA12") and 'id="qr-path"' not in qr_svg("PA12")


def test_the_manifest_keeps_parcel_and_destination_at_360px(client, auth, line, place_order):
    parcel = place_order().parcel
    record_scan(parcel, line.a, "received", line.ops["A"])
    db.session.commit()
    from marketplace.logistics.models import ManifestParcel

    manifest_id = db.session.scalar(
        db.select(ManifestParcel.manifest_id).where(ManifestParcel.parcel_id == parcel.id)
    )
    auth.login("op-a@example.com")
    page = client.get(f"/manifests/{manifest_id}").get_data(as_text=True)
    assert "table-responsive" not in page
    assert 'class="small text-body-secondary d-sm-none d-print-none"' in page
