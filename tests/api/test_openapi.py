"""The OpenAPI document tells the truth: one schema per name, every GET answers what it
declares, and every error answer is documented with its schema."""

import pytest
from jsonschema import Draft202012Validator
from ninja import Schema

from tests.api.world import APPS, build_world, openapi, operations
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_share_a_name():
    """ninja names each component by its class name: a second ``DispatchOut`` silently
    replaced the first in the document."""
    openapi()  # imports every router
    by_name: dict[str, set[str]] = {}
    for cls in set(_subclasses(Schema)):
        if cls.__module__.split(".")[0] in APPS | {"config"}:
            by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    duplicates = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert duplicates == {}


def test_the_document_names_each_component_once_and_resolves_every_reference():
    document = openapi()
    names = set(document["components"]["schemas"])
    text = str(document)
    import re

    references = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert references <= names


def _validator(schema: dict, document: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def test_every_get_answers_what_it_declares():
    document = openapi()
    world = build_world()
    client = client_for(world.center)
    checked = []
    for method, path, operation in operations(document):
        if method != "get" or path.endswith("openapi.json"):
            continue
        query = {
            parameter["name"]: world.value(parameter["name"], parameter["schema"], document)
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "query" and parameter.get("required")
        }
        response = client.get(world.url(path), query)
        status = str(response.status_code)
        assert status in operation["responses"], (path, status, response.content[:300])
        declared = operation["responses"][status].get("content", {}).get("application/json")
        if declared:
            errors = sorted(
                _validator(declared["schema"], document).iter_errors(response.json()),
                key=str,
            )
            assert errors == [], (path, [e.message for e in errors[:3]])
        checked.append((path, status))
    assert len([c for c in checked if c[1] == "200"]) >= 30, checked


def test_error_answers_are_documented_with_their_schema():
    document = openapi()
    for method, path, operation in operations(document):
        responses = operation["responses"]
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in responses, (method, path)
            assert responses["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationErrorOut"
            }
        if operation.get("security"):
            for status in ("401", "403", "404"):
                assert responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"
                }, (method, path, status)
        if method != "get":
            assert {"400", "409"} <= set(responses), (method, path)
