"""The OpenAPI document describes exactly the routes the API has, and every reference resolves."""

import json
import re

from marketplace.api.openapi import document


def _routes(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((method.lower(), path))
    return out


def test_the_document_lists_exactly_the_implemented_operations(app):
    documented = {(method, path) for path, item in document()["paths"].items() for method in item}
    assert documented == _routes(app)


def test_it_is_served_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.1")
    assert body["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}


def test_every_reference_resolves():
    doc = document()
    refs = re.findall(r'"\$ref": "#/([^"]+)"', json.dumps(doc))
    assert refs
    for ref in refs:
        node = doc
        for part in ref.split("/"):
            node = node[part]


def test_every_operation_documents_its_success_and_errors():
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            statuses = set(operation["responses"])
            assert statuses & {"200", "201", "204"}, (method, path)
            if operation["security"] and {} not in operation["security"]:
                assert "401" in statuses, (method, path)
