"""The claim pages: the buyer opens a claim from the order page, the manager answers from
the list their home page counts, the buyer sees the refund; reviews and hiding them."""

import io

from PIL import Image

from marketplace.claims.models import Claim, ClaimStatus, Review
from marketplace.extensions import db


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "brown").save(out, "JPEG")
    return out.getvalue()


def test_a_claim_from_the_order_page_to_the_refund(client, auth, delivered, buyer, manager):
    fulfilment = delivered(quantity=4, price_fen=3333)
    line = fulfilment.lines[0]
    auth.login("buyer@example.com")
    order_page = client.get(f"/orders/{fulfilment.order.reference}").get_data(as_text=True)
    assert f"/claims/fulfilments/{fulfilment.id}/new" in order_page

    form = client.get(f"/claims/fulfilments/{fulfilment.id}/new")
    assert form.status_code == 200
    refused = client.post(
        f"/claims/fulfilments/{fulfilment.id}/new",
        data={f"units-{line.id}": "9", "reason": "damaged", "remedy": "refund"},
    )
    assert refused.status_code == 400
    assert "You can claim at most 4" in refused.get_data(as_text=True)
    sent = client.post(
        f"/claims/fulfilments/{fulfilment.id}/new",
        data={
            f"units-{line.id}": "1",
            "reason": "damaged",
            "remedy": "refund",
            "description": "一袋压破了",
            "photos": [(io.BytesIO(_jpeg()), "bag.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    claim = db.session.scalars(db.select(Claim)).one()
    assert len(claim.photos) == 1
    photo = client.get(f"/claims/{claim.id}/photos/{claim.photos[0].thumb_filename}")
    assert photo.status_code == 200 and photo.mimetype == "image/webp"
    auth.logout()

    auth.login("manager@example.com")
    home = client.get("/manage").get_data(as_text=True)
    assert "1 claim to answer" in home
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert 'value="33.33"' in page
    too_much = client.post(
        f"/claims/{claim.id}/decision", data={"decide-decision": "accept", "decide-amount": "40"}
    )
    assert too_much.status_code == 400
    done = client.post(
        f"/claims/{claim.id}/decision",
        data={"decide-decision": "accept", "decide-amount": "33.33"},
        follow_redirects=True,
    )
    assert "Your decision has been recorded." in done.get_data(as_text=True)
    auth.logout()

    auth.login("buyer@example.com")
    order_page = client.get(f"/orders/{fulfilment.order.reference}").get_data(as_text=True)
    assert "Accepted" in order_page and "¥33.33" in order_page
    assert db.session.get(Claim, claim.id).status == ClaimStatus.accepted


def test_another_buyer_gets_404_on_every_claim_page(client, auth, delivered, buyer, create_user):
    fulfilment = delivered()
    from marketplace.claims import services

    claim = services.open_claim(
        fulfilment, buyer, [(fulfilment.lines[0].id, 1)], "spoiled", "", "refund"
    )
    db.session.commit()
    create_user(email="other@example.com")
    auth.login("other@example.com")
    assert client.get(f"/claims/{claim.id}").status_code == 404
    assert client.get(f"/claims/fulfilments/{fulfilment.id}/new").status_code == 404
    assert (
        client.post(f"/claims/{claim.id}/message", data={"message-body": "hi"}).status_code == 404
    )
    assert client.get(f"/claims/order-lines/{fulfilment.lines[0].id}/review").status_code == 404


def test_reviews_show_on_the_product_page_and_admins_hide_them(
    client, auth, delivered, buyer, admin
):
    fulfilment = delivered()
    line = fulfilment.lines[0]
    auth.login("buyer@example.com")
    saved = client.post(
        f"/claims/order-lines/{line.id}/review", data={"rating": "4", "comment": "百合很新鲜"}
    )
    assert saved.status_code == 302
    product_page = client.get(f"/products/{line.product_id}").get_data(as_text=True)
    assert "百合很新鲜" in product_page and "4.0 / 5" in product_page
    auth.logout()

    auth.login("admin@example.com")
    review = db.session.scalars(db.select(Review)).one()
    assert client.post(f"/claims/reviews/{review.id}/hide").status_code == 302
    auth.logout()
    assert "百合很新鲜" not in client.get(f"/products/{line.product_id}").get_data(as_text=True)
    assert db.session.get(Review, review.id).hidden_at is not None


def test_the_claim_page_says_why_no_claim_can_be_opened(client, auth, delivered, buyer):
    from datetime import timedelta

    from marketplace.clock import utcnow

    fulfilment = delivered(at=utcnow() - timedelta(days=9))
    auth.login("buyer@example.com")
    html = client.get(f"/claims/fulfilments/{fulfilment.id}/new").get_data(as_text=True)
    assert "claims are taken until 7 days after delivery" in html
    assert 'data-testid="claim-form"' not in html
    order_page = client.get(f"/orders/{fulfilment.order.reference}").get_data(as_text=True)
    assert f"/claims/fulfilments/{fulfilment.id}/new" not in order_page
