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


def _pointer(schema: dict, pointer: str, document: dict) -> dict | None:
    """The schema a ``$response.body#/a/0/b`` pointer reaches, or None."""
    from tests.api.world import resolve

    for part in pointer.strip("/").split("/"):
        schema = resolve(schema, document)
        if part.isdigit() and schema.get("type") == "array":
            schema = schema["items"]
        elif part in schema.get("properties", {}) and part in schema.get("required", []):
            schema = schema["properties"][part]
        else:
            return None
    return resolve(schema, document)


def test_every_link_names_an_operation_its_path_parameters_and_a_field_the_answer_has():
    from config.openapi_links import LINKS

    document = openapi()
    by_id = {op["operationId"]: (method, path, op) for method, path, op in operations(document)}
    declared = 0
    for _method, _path, operation in operations(document):
        for answer in operation["responses"].values():
            for name, link in answer.get("links", {}).items():
                declared += 1
                _target_method, _target_path, target = by_id[link["operationId"]]
                path_names = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
                assert set(link["parameters"]) == path_names, name
                body = answer["content"]["application/json"]["schema"]
                for expression in link["parameters"].values():
                    if expression.startswith("$response.body#"):
                        found = _pointer(body, expression.partition("#")[2], document)
                        assert found is not None and found.get("type") == "integer", name
                    else:
                        assert expression.removeprefix("$request.path.") in path_names, name
    assert declared == len(LINKS) >= 30
