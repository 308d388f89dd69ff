"""Absolute URLs come from PUBLIC_BASE_URL, and production answers only to its own host."""

import pytest

from marketplace import create_app
from marketplace.config import public_urls
from tests.conftest import make_test_config


def test_production_trusts_the_host_of_its_public_base_url():
    config = {"PUBLIC_BASE_URL": "https://linxia.example", "TRUSTED_HOSTS": None}
    public_urls(config, development=False)
    assert config["TRUSTED_HOSTS"] == ["linxia.example"]

    named = {"PUBLIC_BASE_URL": "https://linxia.example", "TRUSTED_HOSTS": ["a.example"]}
    public_urls(named, development=False)
    assert named["TRUSTED_HOSTS"] == ["a.example"]


def test_production_refuses_to_start_without_a_public_base_url():
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        public_urls({"PUBLIC_BASE_URL": None}, development=False)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        public_urls({"PUBLIC_BASE_URL": "linxia.example"}, development=False)


def test_development_gets_the_local_server_and_any_host():
    config = {"PUBLIC_BASE_URL": None, "TRUSTED_HOSTS": None}
    public_urls(config, development=True)
    assert config == {"PUBLIC_BASE_URL": "http://127.0.0.1:5000", "TRUSTED_HOSTS": None}


def test_a_request_for_another_host_is_refused(database_url, upload_dir, _migrated):
    app = create_app(
        make_test_config(
            database_url,
            upload_dir,
            PUBLIC_BASE_URL="https://linxia.example",
            TRUSTED_HOSTS=["linxia.example"],
        )
    )
    client = app.test_client()
    refused = client.get("/trace/X", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and b"evil" not in refused.data
    assert client.get("/healthz", headers={"Host": "linxia.example"}).status_code == 200
