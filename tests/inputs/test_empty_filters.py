"""Issue #23: an empty query parameter (``?status=``, ``?state=``, ``?kind=``, ``?since=``) is
either no filter and the OpenAPI document says so (the parameter's schema allows the empty
string), or it is refused with a 422 naming it; never accepted against the document. Every
GET operation's every query parameter, read from the document, as center staff."""

import pytest
from django.test import Client

from directory.services import issue_api_token
from tests.api.world import build_world, openapi, operations, resolve

pytestmark = pytest.mark.django_db

DOCUMENT = openapi()
CASES = [
    (path, parameter["name"], parameter["schema"])
    for method, path, operation in operations(DOCUMENT)
    if method == "get"
    for parameter in operation.get("parameters", [])
    if parameter["in"] == "query" and parameter["name"] not in ("limit", "offset")
]
REQUIRED = {
    path: [p for p in operation.get("parameters", []) if p["in"] == "query" and p["required"]]
    for method, path, operation in operations(DOCUMENT)
    if method == "get"
}


def allows_empty(schema: dict) -> bool:
    options = schema.get("anyOf") or [resolve(schema, DOCUMENT)]
    return any(
        option.get("type") == "string"
        and option.get("minLength", 0) == 0
        and "enum" not in option
        and "format" not in option
        for option in (resolve(o, DOCUMENT) for o in options)
    )


def test_the_four_filters_of_the_issue_are_documented_as_taking_empty():
    empty = {(path, name) for path, name, schema in CASES if allows_empty(schema)}

    assert {
        ("/api/supervision/visits", "status"),
        ("/api/notifications/dispatches", "state"),
        ("/api/audit", "since"),
    } <= empty


@pytest.mark.parametrize(("path", "name", "schema"), CASES, ids=lambda v: str(v)[:40])
def test_an_empty_query_parameter_is_what_the_document_says(path, name, schema):
    world = build_world()
    raw = issue_api_token(user=world.center, label="empty")[1]
    client = Client(headers={"authorization": f"Bearer {raw}"})

    query = {p["name"]: world.value(p["name"], p["schema"], DOCUMENT) for p in REQUIRED[path]}

    response = client.get(world.url(path), {**query, name: ""})

    if allows_empty(schema):
        assert response.status_code < 400, response.content[:300]
    else:
        assert response.status_code == 422, response.content[:300]
        assert name in response.json()["detail"][0]["loc"]
