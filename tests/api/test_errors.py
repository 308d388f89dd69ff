"""Every API failure is JSON `{"error", "message"}` with the right status, never an HTML page."""

import pytest
from flask_babel import lazy_gettext

from marketplace import create_app
from marketplace.api.errors import _handle_domain_error
from marketplace.errors import Conflict
from tests.conftest import make_test_config


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing", 404, "not_found"),
        ("get", "/api/v1/products/12345", 404, "not_found"),
        ("delete", "/api/v1/products", 405, "method_not_allowed"),
        ("put", "/api/v1/tokens", 405, "method_not_allowed"),
        ("get", "/api/v1/products?per_page=0", 400, "invalid"),
        ("get", "/api/v1/households", 401, "unauthorized"),
    ],
)
def test_errors_are_json(client, method, path, status, code):
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]


def test_forbidden_is_json(client, create_user, bearer):
    response = client.get("/api/v1/households", headers=bearer(create_user()))
    assert response.status_code == 403
    assert response.get_json() == {"error": "forbidden", "message": "Your account may not do this."}


def test_messages_are_translated(client):
    response = client.get("/api/v1/households", headers={"Accept-Language": "zh-CN"})
    assert response.get_json()["message"] == "需要有效的访问令牌。"


def test_too_large_a_body_is_a_json_413(database_url, upload_dir, _migrated):
    app = create_app(make_test_config(database_url, upload_dir, MAX_CONTENT_LENGTH=1000))
    response = app.test_client().post(
        "/api/v1/tokens", json={"login": "x" * 2000, "password": "secret-pass"}
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_a_domain_error_keeps_its_code_status_and_plain_details(app):
    with app.test_request_context("/api/v1/orders"):
        error = Conflict(
            lazy_gettext("Not enough stock."),
            lines=[{"product_id": 3, "available_qty": 1}],
            product=object(),  # a model would not survive JSON; it is left out
        )
        response = _handle_domain_error(error)
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "conflict",
        "message": "Not enough stock.",
        "lines": [{"product_id": 3, "available_qty": 1}],
    }
