"""Fixtures for the generator tests: a tiny prefecture generated into the test database."""

import pytest

from marketplace.extensions import db
from marketplace.regions.services import load_sample_villages
from marketplace.scale.config import ScaleConfig
from marketplace.scale.generate import generate

TINY_ORDERS = 400


@pytest.fixture
def generate_tiny(app):
    """generate_tiny(orders=400, seed=622900, **config) -> ScaleConfig, committed."""

    def generate_tiny(orders=TINY_ORDERS, seed=622900, **overrides):
        if not db.session.scalar(db.text("SELECT count(*) FROM regions WHERE level = 'village'")):
            load_sample_villages(per_township=8)
        cfg = ScaleConfig.for_orders(orders, seed=seed, **overrides)
        generate(cfg)
        db.session.commit()
        return cfg

    return generate_tiny


@pytest.fixture
def tiny(generate_tiny):
    """400 orders, loaded with every foreign key checked row by row (also on PostgreSQL)."""
    return generate_tiny(check_foreign_keys=True)
