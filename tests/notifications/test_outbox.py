import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.services import schedule_message, send_due_dispatches
from tests.conftest import client_for
from tests.factories import ContactFactory
from tests.notifications.conftest import NOTICE

pytestmark = pytest.mark.django_db


def make_dispatches(count, now, **kwargs):
    return [
        schedule_message(kind=NOTICE, obj=contact, recipient=contact.email, due_at=now, **kwargs)
        for contact in ContactFactory.create_batch(count)
    ]


def test_outbox_api_lists_sent_and_due_messages(notice_kind, center_staff, now):
    [sent] = make_dispatches(1, now - dt.timedelta(minutes=1))
    send_due_dispatches(now=now)
    [due] = make_dispatches(1, now + dt.timedelta(days=1))

    response = client_for(center_staff).get("/api/notifications/dispatches")

    assert response.status_code == 200
    rows = response.json()["items"]
    assert [(row["id"], row["state"]) for row in rows] == [
        (due.pk, "pending"),
        (sent.pk, "sent"),
    ]
    assert response.json()["count"] == 2
    assert rows[1]["subject"].startswith("お知らせ ")
    assert rows[1]["kind_label"] == "テスト通知"
    assert rows[1]["object_type"] == "contact"


def test_outbox_api_filters_by_state_and_topic(notice_kind, center_staff, now):
    _first, second = make_dispatches(2, now + dt.timedelta(days=1))
    client = client_for(center_staff)

    by_topic = client.get(f"/api/notifications/dispatches?topic={second.topic}").json()
    by_state = client.get("/api/notifications/dispatches?state=sent").json()

    assert ([row["id"] for row in by_topic["items"]], by_topic["count"]) == ([second.pk], 1)
    assert by_state == {"items": [], "count": 0}


def test_outbox_api_rejects_an_unknown_state(center_staff):
    response = client_for(center_staff).get("/api/notifications/dispatches?state=lost")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "state"


@pytest.mark.parametrize(
    ("role", "status"),
    [("health_office", 404), ("municipal", 404), ("outsider", 404), ("superuser", 200)],
)
def test_outbox_api_is_for_center_staff_only(personas, role, status):
    response = client_for(personas[role]).get("/api/notifications/dispatches")

    assert response.status_code == status


def test_outbox_api_needs_a_login(db):
    assert Client().get("/api/notifications/dispatches").status_code == 401


def test_outbox_api_retry_sends_a_failed_message_again(
    notice_kind, center_staff, now, django_capture_on_commit_callbacks
):
    [dispatch] = make_dispatches(1, now - dt.timedelta(days=1))
    send_due_dispatches(now=now)  # a day late: missed

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(center_staff).post(
            f"/api/notifications/dispatches/{dispatch.pk}/retry"
        )

    dispatch.refresh_from_db()
    assert (response.status_code, dispatch.state, len(mail.outbox)) == (200, "sent", 1)


def test_outbox_api_retry_refuses_a_pending_message(notice_kind, center_staff, now):
    [dispatch] = make_dispatches(1, now + dt.timedelta(days=1))

    response = client_for(center_staff).post(f"/api/notifications/dispatches/{dispatch.pk}/retry")

    assert response.status_code == 409  # the message's state, not the request's shape
    assert response.json()["code"] == "not_retryable"


def test_outbox_api_lists_the_registered_kinds(notice_kind, center_staff):
    kinds = client_for(center_staff).get("/api/notifications/kinds").json()

    assert {"code": NOTICE, "label": "テスト通知", "grace_minutes": 120, "max_attempts": 3} in kinds


@pytest.mark.parametrize("url", ["/api/notifications/dispatches", "/outbox/?view=all"])
def test_outbox_query_count_is_the_same_for_1_and_50_rows(notice_kind, center_staff, now, url):
    client = client_for(center_staff)
    make_dispatches(1, now)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200

    make_dispatches(49, now + dt.timedelta(hours=1))
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(url)

    assert len(fifty) == len(one)
    assert response.content.decode().count("@example.jp") == 50


def test_outbox_page_shows_failures_to_staff(notice_kind, center_staff, now):
    make_dispatches(1, now - dt.timedelta(days=1))
    send_due_dispatches(now=now)

    page = client_for(center_staff).get("/outbox/?view=problems").content.decode()

    assert "送信できなかった・期限切れ" in page
    assert "期限切れ" in page
    assert "もう一度送る" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("center", 200), ("health_office", 404), ("municipal", 404), ("outsider", 404)],
)
def test_outbox_page_is_for_center_staff_only(personas, role, status):
    assert client_for(personas[role]).get("/outbox/").status_code == status


def test_outbox_page_sends_anonymous_visitors_to_login(db):
    response = Client().get("/outbox/")

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/outbox/")


def test_outbox_page_retry_sends_again(
    notice_kind, center_staff, now, django_capture_on_commit_callbacks
):
    [dispatch] = make_dispatches(1, now - dt.timedelta(days=1))
    send_due_dispatches(now=now)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(center_staff).post(f"/outbox/{dispatch.pk}/retry/")

    dispatch.refresh_from_db()
    assert (response.status_code, dispatch.state) == (302, "sent")


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("https://evil.example/", "/outbox/"),
        ("//evil.example/outbox/", "/outbox/"),
        ("/outbox/?view=problems", "/outbox/?view=problems"),
    ],
)
def test_outbox_page_retry_goes_back_only_within_the_site(
    notice_kind, center_staff, now, next_url, location
):
    [dispatch] = make_dispatches(1, now - dt.timedelta(days=1))
    send_due_dispatches(now=now)

    response = client_for(center_staff).post(f"/outbox/{dispatch.pk}/retry/", {"next": next_url})

    assert (response.status_code, response["Location"]) == (302, location)


def test_outbox_page_names_the_matter_without_internal_keys(notice_kind, center_staff, now):
    [dispatch] = make_dispatches(1, now + dt.timedelta(days=1))
    client = client_for(center_staff)

    page = client.get("/outbox/?view=all").content.decode()
    filtered = client.get(f"/outbox/?view=all&topic={dispatch.topic}").content.decode()

    text = page.split('<table class="list stack outbox">')[1]
    assert dispatch.topic not in text.replace(f"topic={dispatch.topic}", "")
    assert "この件の送信記録" in text
    assert f"「{dispatch.obj}」についてのメッセージだけを表示しています。" in filtered
