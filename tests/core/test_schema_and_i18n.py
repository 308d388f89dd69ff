"""The migrations match the models, and every string has a Chinese translation."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace import i18n
from marketplace.extensions import db


def test_models_match_the_migrations(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_every_string_has_a_chinese_translation(app):
    missing = i18n.untranslated(Path(app.root_path))
    assert missing == {}, f"run `make i18n-update` and translate: {missing}"
