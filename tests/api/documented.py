"""Checking a response body against the schema the OpenAPI document gives it, so tests of
real (not fuzzed) journeys also prove the document describes what the API sends."""

import jsonschema_rs

from marketplace.api.openapi import document


def assert_documented(body, schema_name: str):
    """Fail with every violation if `body` does not match components/schemas/<name>."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document()["components"]}
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, errors
