"""Catalog test helpers: two cooperatives with their own managers, and picture files."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image


def picture_bytes(kind: str = "JPEG", size=(800, 600), colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if kind == "PNG" else "RGB", size, colour).save(out, kind)
    return out.getvalue()


@dataclass
class Side:
    manager: object
    cooperative: object
    village: object


@pytest.fixture
def english(app):
    """A request context in English, for services whose messages are shown translated."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def coop_a(create_user, create_village, create_cooperative):
    manager = create_user(email="a@example.com", name="Manager A", roles=["cooperative_manager"])
    village = create_village(township_code="622923106")
    return Side(manager, create_cooperative(village=village, managers=[manager]), village)


@pytest.fixture
def coop_b(create_user, create_village, create_cooperative):
    manager = create_user(email="b@example.com", name="Manager B", roles=["cooperative_manager"])
    village = create_village(township_code="622927101")
    return Side(manager, create_cooperative(village=village, managers=[manager]), village)


@pytest.fixture
def product_form(create_category):
    """Form data for a new product; photos are added per test."""

    def product_form(**overrides):
        data = {
            "name_zh": "兰州鲜百合",
            "name_en": "Fresh Lanzhou lily",
            "category_id": create_category().id,
            "unit": "bag_1kg",
            "unit_weight_g": "",
            "price": "68.50",
            "description_zh": "高山旱塬上的百合。",
            "ovop": "y",
        }
        data.update(overrides)
        return data

    return product_form
