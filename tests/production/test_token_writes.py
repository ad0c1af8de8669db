"""Personal API tokens write over real HTTP: a request with ``Authorization: Bearer`` is
authenticated by the token and needs no CSRF token, on every router that writes; a session
request without the CSRF token is still refused (in Japanese)."""

import datetime as dt
import http.cookiejar
import json
import urllib.error
import urllib.request

import pytest
from django.test import Client
from django.utils import timezone

from config.api import api
from core.tokens import hash_token, new_token
from directory.models import ApiToken, Block
from notifications.models import topic_for
from notifications.registry import all_kinds
from tests.factories import municipality
from tests.training.factories import EventFactory

WRITES = {"PUT", "POST", "PATCH", "DELETE"}


def call(url, method, body=None, headers=None, opener=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def token_for(user) -> str:
    raw = new_token()
    ApiToken.objects.create(user=user, label="script", token_hash=hash_token(raw))
    return raw


def one_write_per_router(center_staff):
    event = EventFactory()
    # a walk-in is recorded at an event already under way (nobody attends before the day)
    held = EventFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    kind = next(kind for kind in all_kinds() if kind.days_before is not None)
    return {
        "training": ("POST", "/api/training/lecturers", {"name": "講師 一郎"}, 201),
        "supervision": (
            "POST",
            "/api/supervision/liaison-cadence",
            {"block_id": Block.objects.first().pk, "fiscal_year": 2026, "expected": 3},
            200,
        ),
        "attendance": (
            "POST",
            f"/api/attendance/events/{held.pk}/walk-ins",
            {"name": "飛込 花子", "affiliation_type": "health_office"},
            201,
        ),
        "feeds": (
            "POST",
            "/api/feeds/subscriptions",
            {"kind": "municipality", "target_id": municipality("いの町").pk, "label": "いの町"},
            201,
        ),
        "privacy": ("POST", "/api/privacy/search", {"email": "nobody@example.jp"}, 200),
        "notifications": (
            "PUT",
            "/api/notifications/reminder-days",
            {"topic": topic_for(event), "kind": kind.code, "days": [2]},
            200,
        ),
    }


def routers_that_write():
    names = set()
    for prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                if WRITES & set(operation.methods) and operation.auth_callbacks:
                    names.add(prefix.strip("/"))
    names.discard("")
    return names


def test_every_router_that_writes_is_covered(center_staff):
    assert routers_that_write() <= set(one_write_per_router(center_staff))


@pytest.mark.django_db(transaction=True)
def test_a_bearer_token_writes_on_every_router_without_csrf(live_server, center_staff):
    raw = token_for(center_staff)
    answers = {}
    for router, (method, path, body, expected) in one_write_per_router(center_staff).items():
        status, payload = call(
            live_server.url + path, method, body, {"Authorization": f"Bearer {raw}"}
        )
        answers[router] = (status, expected, payload)
    assert {name: a[0] for name, a in answers.items()} == {
        name: a[1] for name, a in answers.items()
    }, answers


@pytest.mark.django_db(transaction=True)
def test_a_session_write_without_the_csrf_token_is_refused_in_japanese(live_server, center_staff):
    client = Client()
    client.force_login(center_staff)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    session = client.cookies["sessionid"].value
    status, payload = call(
        live_server.url + "/api/training/lecturers",
        "POST",
        {"name": "講師 二郎"},
        {"Cookie": f"sessionid={session}"},
        opener,
    )
    assert status == 403
    assert (
        payload["detail"]
        == "CSRF の確認に失敗しました。ページを読み込み直してもう一度お試しください。"
    )


@pytest.mark.django_db(transaction=True)
def test_a_wrong_token_is_401_even_with_a_session(live_server, center_staff):
    client = Client()
    client.force_login(center_staff)
    session = client.cookies["sessionid"].value
    status, payload = call(
        live_server.url + "/api/training/lecturers",
        "POST",
        {"name": "講師 三郎"},
        {"Cookie": f"sessionid={session}", "Authorization": "Bearer not-a-token"},
    )
    assert status == 401
    assert payload == {"detail": "ログインが必要です。"}
