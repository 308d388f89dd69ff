"""Fuzzing: schemathesis generates requests from the OpenAPI document and sends them to the
app served on 127.0.0.1; no response may be a server error or break the documented schema.

The number of examples is bounded and generation is derandomized, so CI runs are
repeatable and take seconds.
"""

import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from werkzeug.serving import make_server

from marketplace.api.auth import issue_token
from marketplace.api.openapi import document
from marketplace.extensions import db


@pytest.fixture
def live_api(app):
    """Serve `app` (same database as the test) in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def seeded(
    create_village,
    create_station,
    create_cooperative,
    create_product,
    create_household,
    create_lot,
    create_user,
):
    """A few products with lots, in two counties, each cooperative handing parcels to its
    own village point (ids 1 and 2, so generated orders and scans can find them)."""
    for township in ("622923100", "622926100"):
        village = create_village(township)
        point = create_station(region=village)
        manager = create_user(roles=["cooperative_manager"])
        cooperative = create_cooperative(village=village, home_station=point, managers=[manager])
        household = create_household(village=village)
        for n in range(3):
            product = create_product(cooperative=cooperative, ovop=n == 0)
            create_lot(product, contributions=[(household, 10), ("马商贩", 5)])
    create_product(status="draft")


@pytest.fixture
def admin(create_user):
    return create_user(email="fuzz-admin@example.com", roles=["admin"])


@pytest.fixture
def api_schema(live_api, seeded):
    return schemathesis.openapi.from_url(f"{live_api}/api/v1/openapi.json")


@pytest.fixture
def fresh_token(admin):
    """A new administrator's token per call, since DELETE /tokens/current revokes it."""

    def fresh_token() -> str:
        token, _ = issue_token(admin, days=1)
        db.session.commit()
        return token

    return fresh_token


def _cases():
    """(method, path, mode, token) for every documented operation: positive and (where it has
    input) negative data with an administrator's token, and a few calls without a token."""
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            name = f"{method} {path}"
            yield pytest.param(method, path, GenerationMode.POSITIVE, True, id=name)
            if operation["parameters"] or "requestBody" in operation:
                yield pytest.param(
                    method, path, GenerationMode.NEGATIVE, True, id=f"{name} negative"
                )
            yield pytest.param(
                method, path, GenerationMode.POSITIVE, False, id=f"{name} without a token"
            )


# schemathesis.pytest's lazy loader reaches into pytest internals that pytest 9 changed, so
# each operation's Hypothesis test is built here from the operation's own strategy.
@pytest.mark.parametrize(("method", "path", "mode", "with_token"), list(_cases()))
def test_the_api_keeps_to_its_openapi_document(
    api_schema, fresh_token, method, path, mode, with_token
):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=20 if with_token else 5,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        headers = {"Authorization": f"Bearer {fresh_token()}"} if with_token else {}
        case.call_and_validate(
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance],
        )

    check()
