"""A manager lists products with photos; only their own cooperative's products; status
moves draft -> active -> archived through the one transition function."""

import io
import time
from pathlib import Path

import pytest

from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductPhoto, ProductStatus
from marketplace.errors import DomainError, IllegalTransition
from marketplace.extensions import db
from marketplace.status import events_for

from .conftest import picture_bytes


def only_product() -> Product:
    return db.session.scalar(db.select(Product))


def post_product(client, url, data, files=()):
    payload = dict(data)
    payload["photos"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=payload, content_type="multipart/form-data")


def test_manager_lists_a_product_with_a_photo(client, auth, coop_a, product_form, app):
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    response = post_product(client, url, product_form(), [("lily.png", picture_bytes("PNG"))])
    assert response.status_code == 302
    product = only_product()
    assert product.price_fen == 6850 and product.unit_weight_g == 1000  # the unit's weight
    assert product.status == ProductStatus.draft and product.ovop
    assert [e.to_status for e in events_for("product", product.id)] == ["draft"]
    photo = product.photos[0]
    folder = Path(app.config["UPLOAD_FOLDER"]) / "products"
    assert photo.filename.endswith(".jpg") and "lily" not in photo.filename
    assert (folder / photo.filename).read_bytes()[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
    served = client.get(f"/media/products/{photo.thumb_filename}")
    assert served.status_code == 200 and served.data[8:12] == b"WEBP"


def test_a_21_mb_photo_is_refused_with_a_clear_message(client, auth, coop_a, product_form):
    auth.login("a@example.com")
    big = picture_bytes() + b"\0" * (21 * 1024 * 1024)
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    page = post_product(client, url, product_form(), [("big.jpg", big)])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "big.jpg is 21.0 MB; a photo may be at most 20 MB." in html
    assert only_product() is None


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message(
    client, auth, coop_a, product_form
):
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    page = post_product(client, url, product_form(), [("notes.jpg", b"just some text\n" * 50)])
    assert "notes.jpg is not a JPEG, PNG or WebP picture." in page.get_data(as_text=True)
    assert only_product() is None


def test_other_picture_formats_are_refused(english):
    from marketplace.catalog.photos import check_image

    with pytest.raises(DomainError, match="not a JPEG, PNG or WebP"):
        check_image("scan.gif", picture_bytes("GIF"))


def test_a_product_keeps_at_most_five_photos(client, auth, coop_a, product_form):
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    files = [(f"p{n}.jpg", picture_bytes()) for n in range(5)]
    post_product(client, url, product_form(), files)
    product = only_product()
    assert len(product.photos) == 5
    page = post_product(
        client,
        f"/manage/products/{product.id}/edit",
        product_form(),
        [("p6.webp", picture_bytes("WEBP"))],
    )
    assert "at most 5 photos" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 5


def test_manager_removes_a_photo_and_its_files(client, auth, coop_a, product_form, app):
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    post_product(client, url, product_form(), [("a.jpg", picture_bytes())])
    photo = only_product().photos[0]
    path = Path(app.config["UPLOAD_FOLDER"]) / "products" / photo.filename
    assert client.post(f"/manage/photos/{photo.id}/delete").status_code == 302
    assert not path.exists()
    db.session.expire_all()
    assert only_product().photos == []


def test_price_in_yuan_must_be_exact_to_the_fen(client, auth, coop_a, product_form):
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    page = post_product(client, url, product_form(price="12.345"))
    assert "Enter the price in yuan" in page.get_data(as_text=True)
    assert only_product() is None


def test_status_goes_draft_active_archived_and_back(coop_a, create_product):
    product = create_product(cooperative=coop_a.cooperative, status="draft")
    services.change_product_status(product, ProductStatus.active, by=coop_a.manager)
    services.change_product_status(product, ProductStatus.archived, by=coop_a.manager)
    with pytest.raises(IllegalTransition):
        services.change_product_status(product, ProductStatus.draft)
    services.change_product_status(product, ProductStatus.active)
    assert [e.to_status for e in events_for("product", product.id)] == [
        "active",
        "archived",
        "active",
    ]


def test_a_product_without_a_price_cannot_go_on_sale(coop_a, create_product, english):
    product = create_product(cooperative=coop_a.cooperative, status="draft", price_fen=0)
    with pytest.raises(DomainError, match="Set a price"):
        services.change_product_status(product, ProductStatus.active)


def test_manager_puts_a_product_on_sale_from_the_edit_page(client, auth, coop_a, create_product):
    product = create_product(cooperative=coop_a.cooperative, status="draft")
    auth.login("a@example.com")
    response = client.post(f"/manage/products/{product.id}/status/active")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).status == ProductStatus.active


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/manage/products/{product}/edit"),
        ("post", "/manage/products/{product}/edit"),
        ("post", "/manage/products/{product}/status/archived"),
        ("get", "/manage/cooperatives/{cooperative}"),
        ("get", "/manage/cooperatives/{cooperative}/products/new"),
        ("post", "/manage/photos/{photo}/delete"),
    ],
)
def test_manager_of_a_gets_403_on_cooperative_b(
    client, auth, coop_a, coop_b, create_product, product_form, method, path
):
    product = create_product(cooperative=coop_b.cooperative)
    photo = ProductPhoto(product_id=product.id, filename="x.jpg", thumb_filename="x_t.webp")
    db.session.add(photo)
    db.session.commit()
    auth.login("a@example.com")
    url = path.format(product=product.id, cooperative=coop_b.cooperative.id, photo=photo.id)
    response = getattr(client, method)(url, data=product_form(name_zh="改名"))
    assert response.status_code == 403
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.name_zh != "改名" and product.status == ProductStatus.active
    assert len(product.photos) == 1


def test_buyers_cannot_reach_the_manager_pages(client, auth, create_user):
    create_user(email="buyer@example.com")
    auth.login("buyer@example.com")
    assert client.get("/manage").status_code == 403
    auth.logout()
    assert client.get("/manage").status_code == 302  # to the login page


def test_manager_home_shows_their_cooperative_and_products(client, auth, coop_a, create_product):
    create_product(cooperative=coop_a.cooperative)
    auth.login("a@example.com")
    html = client.get("/manage").get_data(as_text=True)
    assert coop_a.cooperative.name_en in html and "Lanzhou lily" in html


def test_admin_manages_any_cooperative(client, auth, create_user, coop_b, create_product):
    product = create_product(cooperative=coop_b.cooperative)
    create_user(email="admin@example.com", roles=["admin"])
    auth.login("admin@example.com")
    assert client.get(f"/manage/products/{product.id}/edit").status_code == 200


def test_many_large_pictures_are_refused_before_any_is_decoded(
    client, auth, coop_a, product_form, monkeypatch
):
    # Issue 17, item 5: 230 large pictures in one form kept a worker busy until killed.
    from marketplace.catalog import photos

    big = picture_bytes("PNG", size=(2000, 2000))
    huge = picture_bytes() + b"\0" * (21 * 1024 * 1024)
    decoded = []
    monkeypatch.setattr(photos.Image.Image, "load", lambda self: decoded.append(1))
    auth.login("a@example.com")
    url = f"/manage/cooperatives/{coop_a.cooperative.id}/products/new"
    started = time.perf_counter()
    page = post_product(client, url, product_form(), [(f"p{n}.png", big) for n in range(230)])
    assert time.perf_counter() - started < 5
    assert "Choose at most 5 photos at a time." in page.get_data(as_text=True)
    page = post_product(client, url, product_form(), [("a.png", big), ("huge.jpg", huge)])
    assert "huge.jpg is 21.0 MB; a photo may be at most 20 MB." in page.get_data(as_text=True)
    assert decoded == [] and only_product() is None


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(english):
    from PIL import Image

    from marketplace.catalog.photos import check_image

    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, "PNG")  # 400 million pixels, 50 KB
    with pytest.raises(DomainError, match="too many pixels"):
        check_image("bomb.png", out.getvalue())
