"""Test fixtures: one migrated database per run (SQLite file, or a fresh PostgreSQL database
when TEST_DATABASE_URL is set), emptied after every test; app, client and factories."""

import os
import tempfile
import uuid

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db

pytest_plugins = ["tests.factories"]


def _fresh_postgres_database(url: str) -> tuple[str, callable]:
    """Create a uniquely named database next to `url`'s; return its URL and a dropper."""
    base = sa.make_url(url).set(drivername="postgresql+psycopg")
    name = f"{base.database or 'linxia'}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def database_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgres"):
        fresh, drop = _fresh_postgres_database(url)
        yield fresh
        drop()
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{os.path.join(tmp, 'test.db')}"


@pytest.fixture(scope="session")
def upload_dir():
    with tempfile.TemporaryDirectory() as tmp:
        yield tmp


def make_test_config(database_url: str, upload_dir: str, **extra) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "UPLOAD_FOLDER": upload_dir,
        "STRIPE_SECRET_KEY": None,
        "STRIPE_WEBHOOK_SECRET": None,
        "STRIPE_API_BASE": None,
        "SERVER_NAME": None,
        # One iteration: the suite checks who may log in, not how hard a hash is to crack.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def _migrated(database_url, upload_dir):
    """Build the schema by running the migrations, once per run, and load the region tree."""
    app = create_app(make_test_config(database_url, upload_dir))
    with app.app_context():
        upgrade()
        from marketplace.regions.services import load_region_tree

        load_region_tree()
        db.session.commit()
        db.engine.dispose()
    return True


KEEP_TABLES = {"alembic_version", "regions", "divisions"}


def _empty_database() -> None:
    """Delete every row the test wrote; the official region tree stays."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.execute(sa.text("DELETE FROM regions WHERE level = 'village'"))
    db.session.commit()


@pytest.fixture
def app_config(database_url, upload_dir, _migrated):
    """Override in a test module (or parametrize) to change the configuration."""
    return make_test_config(database_url, upload_dir)


@pytest.fixture(autouse=True)
def _factory_numbers_from_one(monkeypatch):
    """Each test numbers its factory-made objects from 1 (the database is emptied between
    tests), so codes built from the number (village codes: 12 digits) stay short."""
    import itertools

    import tests.factories

    monkeypatch.setattr(tests.factories, "_counter", itertools.count(1))


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and db session), as on a
    real server; without it, requests would share the test's context and its cached user."""

    def open(self, *args, **kwargs):
        ctx = self.application.app_context()
        ctx.push()
        try:
            return super().open(*args, **kwargs)
        finally:
            ctx.pop()
            if has_app_context():
                db.session.expire_all()


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _empty_database()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser that prefers English, so assertions read as the English pages."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in and out through the real pages, as a person would."""

    def __init__(self, client):
        self._client = client

    def login(self, login="buyer@example.com", password="linxia-demo"):
        return self._client.post("/login", data={"login": login, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
