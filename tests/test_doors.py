"""Both doors, always: every public write service of supervision, training and attendance is
called by a page (a Django view) and by an API route, or the allow-list below says why not.

A door "calls" a service when the source of its view function (decorators unwrapped, nested
functions included) names ``services.<name>(`` or ``<name>(``. A service that gains a door
must leave the allow-list (the test says so), so the list cannot go stale."""

import inspect
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api

APPS = ("supervision", "training", "attendance")

# service -> why it has not both doors (keep each reason honest and short).
ONE_DOOR = {
    "supervision.target_for": "internal: the target of a row, used by create_target and the demo",
    "supervision.ensure_targets": "system: run after the directory changes (setup_prefecture)",
    "supervision.create_target": (
        "API only: every municipality, district and organization already has its target "
        "(ensure_targets); the API keeps the call for integrations"
    ),
    "attendance.roster_additions": "a read: what building the roster would add, shown on pages",
    "attendance.roster_of": "a read (the roster, built on first sight): the API reads rosters",
    "attendance.door_roster": (
        "API only: what the QR check-in page's script keeps offline (the page is its door)"
    ),
    "attendance.record_door_operations": (
        "API only: the QR check-in page's script sends its scans here (the page is its door)"
    ),
    "attendance.move_check_in_earlier": "internal: a step of record_door_operations",
}

# Write services that take the acting user and ids (``actor=``) and decide permission
# themselves (core.usecases): all of supervision, and those moved so far in training and
# attendance (the others still take objects and are checked by their doors; see
# docs/architecture.md, "One call per use case").
ACTOR_APPS = ("supervision",)
ACTOR_SERVICES = {
    "training.save_course",
    "training.save_lecturer",
    "attendance.resolve_imported_attendee",
}
INTERNAL = {"supervision.target_for", "supervision.ensure_targets"}
OBJECT_PARAMETERS = (
    "visit",
    "dispatch",
    "target",
    "block",
    "municipality",
    "course",
    "lecturer",
    "attendee",
    "entry",
    "event",
    "user",
)


def services_of(app: str) -> list[str]:
    module = __import__(f"{app}.services", fromlist=["__all__"])
    return sorted(
        f"{app}.{name}"
        for name in module.__all__
        if inspect.isfunction(getattr(module, name)) and not name.startswith("_")
    )


ALL_SERVICES = [name for app in APPS for name in services_of(app)]


def _source(function) -> str:
    function = inspect.unwrap(function)
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _page_views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("api/"):
                continue
            yield from _page_views(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _api_views():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield prefix + path, operation.view_func


def _doors(views) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    sources = [(route, _source(view)) for route, view in views]
    for service in ALL_SERVICES:
        name = service.split(".", 1)[1]
        called = re.compile(rf"(?<![\w.])(services\.)?{name}\(")
        app = service.split(".")[0]
        found[service] = {
            route
            for route, source in sources
            if called.search(source) and (f"{app}" in source or "services." in source)
        }
    return found


PAGES = _doors(_page_views())
APIS = _doors(_api_views())


def test_the_services_are_found():
    assert "supervision.cancel_visit" in ALL_SERVICES
    assert "attendance.resolve_imported_attendee" in ALL_SERVICES
    assert "training.register_trainee" in ALL_SERVICES
    assert PAGES["supervision.cancel_visit"] and APIS["supervision.cancel_visit"]


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_every_write_service_has_both_doors_or_a_reason(service):
    both = bool(PAGES[service]) and bool(APIS[service])
    if service in ONE_DOOR:
        assert not both, f"{service} has both doors now: take it off ONE_DOOR"
    else:
        assert PAGES[service], f"{service}: no page calls it (add one, or a reason in ONE_DOOR)"
        assert APIS[service], f"{service}: no API route calls it (add one, or a reason)"


def test_the_allow_list_names_only_services():
    assert set(ONE_DOOR) <= set(ALL_SERVICES)


@pytest.mark.parametrize(
    "service",
    sorted(
        {name for name in ALL_SERVICES if name.split(".")[0] in ACTOR_APPS} - INTERNAL
        | ACTOR_SERVICES
    ),
)
def test_write_services_take_the_actor_and_ids(service):
    app, name = service.split(".")
    function = getattr(__import__(f"{app}.services", fromlist=[name]), name)
    parameters = inspect.signature(function).parameters

    assert "actor" in parameters
    assert parameters["actor"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "by" not in parameters
    assert not any(name in parameters for name in OBJECT_PARAMETERS), "ids, not objects"
