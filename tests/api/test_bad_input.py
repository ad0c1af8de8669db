"""Every write endpoint, read from the OpenAPI document (not listed by hand), is sent each field
with a value no column can hold: text over its length, NUL and control characters, years 0, 1
and 9999, 2^31 and 2^63, dates out of range and UTC offsets beyond −12:00/+14:00. Each answer
is a 4xx naming the field with a Japanese message, and no table changes. Runs on SQLite and on
PostgreSQL (``DATABASE_URL``), where most of these used to be 500s or worse."""

import json
import re

import pytest
from django.test import Client

from tests.api.world import build_world, openapi, operations, resolve, table_state

pytestmark = pytest.mark.django_db

DOCUMENT = openapi()
WRITES = [
    (method, path, operation)
    for method, path, operation in operations(DOCUMENT)
    if method != "get" and "application/json" in operation.get("requestBody", {}).get("content", {})
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

BAD_DATETIMES = [
    "0001-01-01T00:00:00+09:00",
    "9999-12-31T23:00:00Z",
    "2021-06-10T10:00:00+17:00",
    "2021-06-10T10:00:00-13:00",
]
BAD_DATES = ["0001-01-01", "9999-12-31", "1999-12-31"]


def bad_values(name: str, schema: dict) -> list:
    """The values a field of this schema must refuse."""
    schema = resolve(schema, DOCUMENT)
    kind = schema.get("type")
    if kind == "integer":
        values = [2**31, 2**63, -(2**63) - 1]
        if "year" in name:
            values += [0, 1, 9999, -1]
        return values
    if kind == "number":
        return [2**63, -(2**63), 1e300]
    if kind == "array":
        item = resolve(schema.get("items", {}), DOCUMENT)
        return [[value] for value in bad_values(name, item)[:2]] + [["x"] * 100_000]
    if kind == "string" and schema.get("format") == "date-time":
        return BAD_DATETIMES
    if kind == "string" and schema.get("format") == "date":
        return BAD_DATES
    if kind == "string" and "enum" not in schema:
        length = schema.get("maxLength", 10_000)
        return ["あ" * (length + 1), "a\x00b", "a\x0bb", "a\x1fb", "\ud800"]
    return []


def outside(schema: dict, value) -> bool:
    """Whether the document itself says the value is not allowed (then the answer must be a
    422 naming the field). An id of 2^31 is allowed (ids are 64-bit) and is refused later, as
    an unknown row."""
    schema = resolve(schema, DOCUMENT)
    if isinstance(value, list):
        item = schema.get("items", {})
        too_many = len(value) > schema.get("maxItems", len(value))
        return too_many or any(outside(item, v) for v in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return not schema.get("minimum", -(2**64)) <= value <= schema.get("maximum", 2**64)
    return True


def cases(operation: dict) -> list[tuple[str, object, bool]]:
    body = resolve(operation["requestBody"]["content"]["application/json"]["schema"], DOCUMENT)
    return [
        (name, value, outside(field, value))
        for name, field in body.get("properties", {}).items()
        for value in bad_values(name, field)
    ]


def _messages(answer: dict) -> list[str]:
    detail = answer.get("detail")
    if isinstance(detail, list):
        return [item["msg"] for item in detail]
    return [detail]


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    WRITES,
    ids=[f"{method.upper()} {path}" for method, path, _ in WRITES],
)
def test_write_endpoint_refuses_what_no_column_can_hold(method, path, operation):
    world = build_world()
    client = Client()
    client.force_login(world.center)
    url = world.url(path)
    base = world.body(operation, DOCUMENT)
    before = table_state()
    failures = []
    assert cases(operation), "a write endpoint without a field to test"
    for name, value, refused_by_schema in cases(operation):
        payload = json.dumps({**base, name: value}).encode("utf-8", "surrogatepass")
        response = getattr(client, method)(url, payload, content_type="application/json")
        answer = response.json() if response.content else {}
        messages = [m for m in _messages(answer) if m]
        fields = [
            part
            for item in answer.get("detail", [])
            if isinstance(item, dict)
            for part in item["loc"]
        ]
        problem = None
        if not 400 <= response.status_code < 500:
            problem = f"answered {response.status_code}"
        elif refused_by_schema and (response.status_code != 422 or name not in fields):
            problem = f"422 without naming {name}: {answer}"
        elif not messages or not all(JAPANESE.search(m) for m in messages):
            problem = f"no Japanese message: {answer}"
        elif table_state() != before:
            problem = "a table changed"
        if problem:
            failures.append((name, repr(value)[:60], problem[:300]))
    assert failures == []


def test_the_generated_cases_cover_every_write_endpoint_and_each_kind_of_value():
    kinds = set()
    for _method, _path, operation in WRITES:
        for _name, value, _outside in cases(operation):
            if isinstance(value, str):
                kinds.add("control" if "\x00" in value else "text" if len(value) > 100 else "time")
            elif isinstance(value, int):
                kinds.add(value)
    assert len(WRITES) >= 25
    assert {"control", "text", "time", 0, 1, 9999, 2**31, 2**63} <= kinds
