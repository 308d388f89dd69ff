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


def test_no_string_is_translated_two_ways(app):
    # The catalogues are merged: one package's "Next" (下一站, the next stop) was the pager's
    # "Next" on every page. The same word everywhere, or a context (pgettext).
    conflicts = i18n.conflicting(Path(app.root_path))
    assert conflicts == {}, f"use one translation, or pgettext with a context: {conflicts}"


def test_short_words_read_right_where_they_stand(app):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("zh"):
        pager = render_template_string("{{ pgettext('pager', 'Next') }}")
        stop = render_template_string("{{ pgettext('route', 'Next') }}")
        to = render_template_string("{{ pgettext('recipient', 'To') }}")
        until = render_template_string("{{ pgettext('period', 'To') }}")
    assert (pager, stop, to, until) == ("下一页", "下一站", "送至", "结束日期")
