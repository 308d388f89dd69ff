"""The claims and reviews API: contract fields, refusals with their codes, who sees what."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from marketplace.api.auth import issue_token
from marketplace.clock import utcnow
from marketplace.extensions import db
from tests.api.conftest import ApiCaller


@pytest.fixture
def bearer(app):
    def bearer(user):
        token, _ = issue_token(user, 30)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return bearer


@pytest.fixture
def api_as(client, bearer):
    return lambda user: ApiCaller(client, bearer(user))


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, "PNG")
    return out.getvalue()


def _claim_body(line_id, units=1, **extra):
    return {
        "lines": [{"order_line_id": line_id, "quantity": units}],
        "reason": "damaged",
        "description": "箱子压坏了",
        "remedy": "refund",
        **extra,
    }


def test_the_buyer_claims_the_manager_accepts_and_the_refund_shows(
    delivered, buyer, manager, api_as, client, bearer
):
    fulfilment = delivered(quantity=4, price_fen=3333)
    as_buyer, as_manager = api_as(buyer), api_as(manager)
    status, order = as_buyer.get(f"/orders/{fulfilment.order_id}")
    line_id = order["lines"][0]["id"]

    status, claim = as_buyer.post(f"/fulfilments/{fulfilment.id}/claims", _claim_body(line_id, 2))
    assert status == 201, claim
    assert claim["status"] == "open" and claim["refundable_fen"] == 6666

    photo = client.post(
        f"/api/v1/claims/{claim['id']}/photos",
        headers=bearer(buyer),
        data={"photos": (io.BytesIO(_png()), "box.png")},
        content_type="multipart/form-data",
    )
    assert photo.status_code == 201 and photo.get_json()["photos"] == 1
    bad = client.post(
        f"/api/v1/claims/{claim['id']}/photos",
        headers=bearer(buyer),
        data={"photos": (io.BytesIO(b"not a picture"), "box.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400

    status, _ = as_manager.get("/claims?status=open")
    assert status == 200
    status, body = as_manager.post(
        f"/claims/{claim['id']}/decision", {"decision": "accept", "refund_fen": 6667}
    )
    assert status == 400 and "refund_fen" in body["fields"]
    status, body = as_manager.post(f"/claims/{claim['id']}/decision", {"decision": "accept"})
    assert status == 200 and body["status"] == "accepted"
    status, again = as_manager.post(f"/claims/{claim['id']}/decision", {"decision": "accept"})
    assert status == 409

    status, seen = as_buyer.get(f"/claims/{claim['id']}")
    assert status == 200
    assert [r["amount_fen"] for r in seen["refunds"]] == [6666]
    assert [m["decision"] for m in seen["messages"]] == [None, "accept"]


def test_refusals_carry_their_codes(delivered, buyer, api_as):
    late = delivered(at=utcnow() - timedelta(days=10))
    as_buyer = api_as(buyer)
    status, body = as_buyer.post(f"/fulfilments/{late.id}/claims", _claim_body(late.lines[0].id))
    assert (status, body["error"]) == (409, "claim_window_closed")

    fresh = delivered()
    status, _ = as_buyer.post(f"/fulfilments/{fresh.id}/claims", _claim_body(fresh.lines[0].id))
    assert status == 201
    status, body = as_buyer.post(f"/fulfilments/{fresh.id}/claims", _claim_body(fresh.lines[0].id))
    assert (status, body["error"]) == (409, "claim_open")

    waiting = delivered(until="ready")
    status, body = as_buyer.post(
        f"/fulfilments/{waiting.id}/claims", _claim_body(waiting.lines[0].id)
    )
    assert (status, body["error"]) == (409, "not_delivered")


def test_another_buyer_gets_404(delivered, buyer, api_as, create_user):
    fulfilment = delivered()
    line_id = fulfilment.lines[0].id
    status, claim = api_as(buyer).post(f"/fulfilments/{fulfilment.id}/claims", _claim_body(line_id))
    other = api_as(create_user(email="other@example.com"))
    assert other.get(f"/claims/{claim['id']}")[0] == 404
    assert other.post(f"/fulfilments/{fulfilment.id}/claims", _claim_body(line_id))[0] == 404
    assert other.post(f"/claims/{claim['id']}/decision", {"decision": "accept"})[0] == 404
    assert other.get("/claims")[1]["items"] == []


def test_only_the_buyer_who_received_a_product_reviews_it(
    delivered, buyer, api_as, create_user, client
):
    fulfilment = delivered()
    line_id = fulfilment.lines[0].id
    other = api_as(create_user(email="other@example.com"))
    assert other.post(f"/order-lines/{line_id}/review", {"rating": 5})[0] == 404
    waiting = delivered(until="ready")
    status, body = api_as(buyer).post(f"/order-lines/{waiting.lines[0].id}/review", {"rating": 5})
    assert status == 409

    status, review = api_as(buyer).post(
        f"/order-lines/{line_id}/review", {"rating": 4, "comment": "很新鲜"}
    )
    assert status == 201 and review["rating"] == 4
    status, review = api_as(buyer).post(f"/order-lines/{line_id}/review", {"rating": 2})
    assert status == 200 and review["rating"] == 2
    assert api_as(buyer).post(f"/order-lines/{line_id}/review", {"rating": 6})[0] == 400

    product = client.get(f"/api/v1/products/{fulfilment.lines[0].product_id}").get_json()
    assert product["rating"] == {"average": 2.0, "count": 1}
