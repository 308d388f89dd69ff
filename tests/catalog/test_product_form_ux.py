"""Issue 19 item 9: the product form keeps a chosen photo across an error, takes phone
photos up to 20 MB (shrunk), shows the price example as an example, and refuses a unit
weight that contradicts the unit's name."""

import re

from PIL import Image

from marketplace.catalog import photos
from marketplace.catalog.models import Product
from marketplace.catalog.services import unit_weight_problem
from marketplace.extensions import db

from .conftest import picture_bytes
from .test_products import only_product, post_product


def _url(coop_a):
    return f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"


def test_a_chosen_photo_is_kept_after_an_error_and_saved_with_the_product(
    client, auth, coop_a, product_form
):
    auth.login("a@example.com")
    page = post_product(
        client, _url(coop_a), product_form(price="abc"), [("lily.jpg", picture_bytes())]
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="pending-photos"' in html
    assert "Your photo is kept" in html
    token = re.search(r'name="pending_photos" type="hidden" value="([^"]+)"', html).group(1)
    shown = re.search(r'src="(/manage/pending-photos/[0-9a-f]{32}\.jpg)"', html).group(1)
    assert client.get(shown).status_code == 200
    # Sent again with the price put right and no file chosen: the kept photo is added.
    answer = post_product(client, _url(coop_a), product_form(pending_photos=token))
    assert answer.status_code == 302
    product = only_product()
    assert len(product.photos) == 1
    kept = photos.pending_dir() / shown.rsplit("/", 1)[1]
    assert not kept.exists()  # the kept file is gone once saved (other tests share the folder)


def test_a_forged_token_names_nothing(client, auth, coop_a, product_form):
    auth.login("a@example.com")
    answer = post_product(client, _url(coop_a), product_form(pending_photos="x.y.z"))
    assert answer.status_code == 302 and only_product().photos == []


def test_a_12_mb_phone_photo_is_taken_and_shrunk(client, auth, coop_a, product_form):
    auth.login("a@example.com")
    big = picture_bytes(size=(4000, 3000)) + b"\0" * (12 * 1024 * 1024)
    answer = post_product(client, _url(coop_a), product_form(), [("camera.jpg", big)])
    assert answer.status_code == 302
    photo = only_product().photos[0]
    with Image.open(photos.photo_dir() / photo.filename) as stored:
        assert max(stored.size) == photos.PHOTO_EDGE


def test_the_price_placeholder_reads_as_an_example(client, auth, coop_a):
    auth.login("a@example.com")
    html = client.get(_url(coop_a)).get_data(as_text=True)
    assert 'placeholder="e.g. 25.00"' in html and 'placeholder="25.00"' not in html


def test_a_unit_weight_that_contradicts_the_unit_is_refused_beside_the_field(
    client, auth, coop_a, product_form
):
    auth.login("a@example.com")
    page = post_product(client, _url(coop_a), product_form(unit="bag_250g", unit_weight_g="500"))
    html = page.get_data(as_text=True)
    assert "holds 250 g" in html and "not 500 g" in html
    assert db.session.scalar(db.select(Product)) is None
    assert unit_weight_problem("bag_250g", 260) is None
    assert unit_weight_problem("bag_250g", 200) is not None
    assert unit_weight_problem("head", 40000) is None
