"""Every list endpoint that can grow is paginated with django-ninja's own pagination
(``core.pagination.Pagination``: ``limit`` 1-500, default 100, ``offset``) and answers
``{"items": [...], "count": N}``; its filters are typed (``FilterSchema``), so a bad value is a
Japanese 422 naming it. The paginated endpoints are read from the OpenAPI document; a list
endpoint without ``limit`` must be one of the small fixed lists named here."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.inputs import MAX_PAGE_SIZE, PAGE_SIZE
from directory.models import Block, Municipality, PartnerOrganization
from tests.api.world import build_world, openapi, operations, resolve
from tests.conftest import client_for
from tests.factories import municipality
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory
from tests.training.factories import CourseFactory, EventFactory, LecturerFactory

pytestmark = pytest.mark.django_db

DOCUMENT = openapi()
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# Small fixed lists, not paginated (docs/api.md says why).
UNPAGINATED = {
    "/api/directory/blocks",  # the prefecture's blocks (3 in Kochi)
    "/api/directory/districts",  # its health-office districts (a handful)
    "/api/notifications/kinds",  # the registered message kinds
    "/api/notifications/reminder-days",  # one row per configurable kind
    "/api/supervision/calendar",  # the days of one month or week
    "/api/supervision/liaison-cadence",  # one row per block
    "/api/supervision/scheduling-warnings",  # the clashes of one time slot
    "/api/supervision/progress/export",  # the complete read: one item per target with a plan
    "/api/training/events/{event_id}/parts",  # the parts of one event's programme
}


def _lists():
    paged, unpaged = [], []
    for method, path, operation in operations(DOCUMENT):
        if method != "get":
            continue
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        answer = operation["responses"]["200"].get("content", {}).get("application/json", {})
        if "limit" in names:
            paged.append((path, operation))
        elif resolve(answer.get("schema", {}), DOCUMENT).get("type") == "array":
            unpaged.append(path)
    return paged, unpaged


PAGED, UNPAGED = _lists()


def _required(operation, world) -> dict:
    return {
        p["name"]: world.value(p["name"], p["schema"], DOCUMENT)
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("required")
    }


def test_every_list_endpoint_is_paginated_but_the_small_fixed_ones():
    assert set(UNPAGED) == UNPAGINATED
    assert len(PAGED) >= 18


@pytest.mark.parametrize("operation", [o for _p, o in PAGED], ids=[p for p, _o in PAGED])
def test_the_document_says_the_bounds_and_the_page_shape(operation):
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert (
        parameters["limit"] | {"minimum": 1, "maximum": 500, "default": 100}
        == (parameters["limit"])
    )
    assert (parameters["offset"]["minimum"], parameters["offset"]["default"]) == (0, 0)
    assert resolve(answer, DOCUMENT)["required"] == ["items", "count"]
    assert (PAGE_SIZE, MAX_PAGE_SIZE) == (100, 500)


# Query values that make a list hold the world's rows (progress asks about when).
WHEN = {"/api/supervision/progress": {"fiscal_year": 2021, "as_of": "2021-09-30"}}


def _second_of_each(world) -> None:
    """A second row in every list the world holds one of (a third in some), through the
    services where they exist, so that paging has something to split."""
    import datetime as dt

    from attendance.models import OnlineImport
    from supervision import services
    from supervision.models import LecturerDispatch, Plan, Target
    from tests.api.world import FUTURE, dispatch_for
    from training.models import Event, Registration

    plan = Plan.objects.get(pk=world.ids["plan"])
    other = Target.objects.exclude(pk=plan.target_id).order_by("pk").first()
    for target_, planned in ((plan.target, 6), (plan.target, 7), (other, 3)):
        services.set_plan(
            target_id=target_.pk,
            fiscal_year=2021,
            planned=planned,
            reason="見直し",
            actor=world.center,
        )
    for day in ("2021-05-10", "2021-06-10"):
        services.record_case_meeting(
            municipality_id=plan.target.municipality.pk,
            held_on=dt.date.fromisoformat(day),
            actor=world.center,
        )
    VisitFactory(target=plan.target, starts_at=FUTURE + dt.timedelta(days=1))
    LecturerDispatch.objects.create(
        title="研修会", host="須崎市", starts_at=FUTURE, ends_at=FUTURE + dt.timedelta(hours=1)
    )
    LecturerFactory()
    CourseFactory(fiscal_year=2022)
    EventFactory()
    online_import = OnlineImport.objects.get(event_id=world.ids["event"])
    online_import.pk = None
    online_import.save()
    dispatch_for(Registration.objects.filter(event=Event.objects.get(pk=world.ids["event"])).last())


@pytest.mark.parametrize(("path", "operation"), PAGED, ids=[p for p, _o in PAGED])
def test_pages_add_up_to_the_whole_list_and_count_is_right(path, operation):
    """Paging one item at a time gives the same items, in the same order, as one page of
    500; ``count`` is the same on every page and equals the number of items (at least two
    in every list); past the end the page is empty."""
    world = build_world()
    _second_of_each(world)
    client = client_for(world.center)
    url, query = world.url(path), {**_required(operation, world), **WHEN.get(path, {})}

    whole = client.get(url, {**query, "limit": MAX_PAGE_SIZE})
    assert whole.status_code == 200, whole.content[:300]
    items, count = whole.json()["items"], whole.json()["count"]
    pages = [client.get(url, {**query, "limit": 1, "offset": n}).json() for n in range(count)]
    beyond = client.get(url, {**query, "limit": 1, "offset": count}).json()

    assert len(items) == count >= 2
    assert [item for page in pages for item in page["items"]] == items
    assert {page["count"] for page in pages} <= {count}
    assert beyond == {"items": [], "count": count}


@pytest.mark.parametrize(("path", "operation"), PAGED, ids=[p for p, _o in PAGED])
@pytest.mark.parametrize(
    ("name", "value"),
    [("limit", MAX_PAGE_SIZE + 1), ("limit", 0), ("limit", "x"), ("offset", -1)],
)
def test_a_limit_over_the_maximum_is_a_japanese_422_naming_it(path, operation, name, value):
    """Refused, not clamped: a script asking for 1,000 learns that it gets at most 500."""
    world = build_world()
    response = client_for(world.center).get(
        world.url(path), {**_required(operation, world), name: value}
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", name]
    assert JAPANESE.search(error["msg"]), error


FILTERS = [
    (path, parameter["name"], parameter["schema"])
    for path, operation in PAGED
    for parameter in operation["parameters"]
    if parameter["in"] == "query" and parameter["name"] not in ("limit", "offset")
]


def _bad(schema: dict):
    schema = resolve(schema, DOCUMENT)
    if "enum" in schema:
        return "no-such-value"
    if schema.get("type") == "integer":
        return "x" if schema.get("maximum", 0) > 2100 else 1999  # ids; fiscal years
    if schema.get("format") in ("date", "date-time"):
        return "2021-13-01"
    return "\x00" if schema.get("type") == "string" else None


@pytest.mark.parametrize(
    ("path", "name", "schema"),
    [f for f in FILTERS if _bad(f[2]) is not None],
    ids=[f"{p} {n}" for p, n, s in FILTERS if _bad(s) is not None],
)
def test_a_bad_filter_value_is_a_japanese_422_naming_the_filter(path, name, schema):
    world = build_world()
    operation = dict(PAGED)[path]
    response = client_for(world.center).get(
        world.url(path), {**_required(operation, world), name: _bad(schema)}
    )

    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"][0]["loc"] == ["query", name]
    assert JAPANESE.search(response.json()["detail"][0]["msg"])


def test_the_default_page_is_100_and_a_page_of_500_is_allowed(center_staff):
    client = client_for(center_staff)
    Municipality.objects.bulk_create(
        Municipality(name=f"架空町{n}", kana=f"かくうちょう{n}", kind="town", order=1000 + n)
        for n in range(120)
    )

    default = client.get("/api/directory/municipalities").json()
    largest = client.get("/api/directory/municipalities", {"limit": 500}).json()
    rest = client.get("/api/directory/municipalities", {"offset": 150}).json()

    assert (len(default["items"]), default["count"]) == (100, 154)
    assert len(largest["items"]) == 154
    assert [m["name"] for m in rest["items"]] == [f"架空町{n}" for n in range(116, 120)]


def test_filters_narrow_the_list_and_the_count(center_staff):
    client = client_for(center_staff)
    east = Block.objects.get(name="東部").pk
    EventFactory(status="draft", title="下書き")
    EventFactory(title="公開")
    for name in ("いの町", "須崎市"):
        VisitFactory(target=target(name), starts_at=at("2021-06-01"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2021-07-01"))
    VisitFactory(target=target("いの町"), starts_at=at("2022-06-01"))
    CourseFactory(fiscal_year=2021)
    CourseFactory(fiscal_year=2022)
    kind = PartnerOrganization.objects.order_by("pk").first().kind

    def get(url, **query):
        return client.get(url, query).json()

    drafts = get("/api/training/all-events", status="draft")
    done = get("/api/supervision/visits", status="done", fiscal_year=2021)
    ino = get("/api/supervision/visits", target_id=target("いの町").pk, fiscal_year=2021)
    courses = get("/api/training/courses", fiscal_year=2022)
    in_east = get("/api/directory/municipalities", block_id=east)
    organizations = get("/api/directory/organizations", kind=kind)
    towns = get("/api/supervision/targets", kind="district")
    empty = get("/api/supervision/visits", status="")  # an empty choice is no filter

    assert [e["title"] for e in drafts["items"]] == ["下書き"]
    assert (done["count"], {v["target_name"] for v in done["items"]}) == (2, {"いの町", "須崎市"})
    assert ino["count"] == 2
    assert [c["fiscal_year"] for c in courses["items"]] == [2022]
    assert in_east["count"] == Municipality.objects.filter(block_id=east).count() == 9
    assert {o["kind"] for o in organizations["items"]} == {kind}
    assert organizations["count"] == PartnerOrganization.objects.filter(kind=kind).count()
    assert {t["kind"] for t in towns["items"]} == {"district"} and towns["count"] >= 1
    assert empty["count"] == 4


def test_a_later_page_costs_the_same_queries_as_the_first(center_staff):
    client = client_for(center_staff)
    LecturerFactory.create_batch(30)
    counts = []
    for offset in (0, 25):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/api/training/lecturers", {"limit": 5, "offset": offset}).json()
        counts.append(len(queries))
        assert (len(page["items"]), page["count"]) == (5, 30)

    assert counts[0] == counts[1]


def test_progress_pages_keep_the_at_risk_first_order(center_staff):
    from supervision.models import Plan

    for name in ("いの町", "須崎市", "宿毛市", "土佐市"):
        Plan.objects.create(target=target(name), fiscal_year=2021, planned=4)
    VisitFactory(target=target("須崎市"), starts_at=at("2021-05-01"), status="done")
    client = client_for(center_staff)
    query = {"fiscal_year": 2021, "as_of": "2021-09-30"}

    whole = client.get("/api/supervision/progress", query).json()
    pages = [
        client.get("/api/supervision/progress", {**query, "limit": 3, "offset": offset}).json()
        for offset in (0, 3)
    ]

    assert [p["count"] for p in pages] == [4, 4]
    assert [row["name"] for page in pages for row in page["items"]] == [
        row["name"] for row in whole["items"]
    ]
    assert [row["at_risk"] for row in whole["items"]] == sorted(
        row["at_risk"] for row in whole["items"]
    )[::-1]
    assert municipality("須崎市").name in {row["name"] for row in whole["items"]}
