"""A join link typed into a public field of an online event (title, 会場, description) is
refused with a message pointing to the join-link field; nothing is written."""

import pytest
from django.test import Client

from tests.conftest import client_for
from tests.training.factories import EventFactory
from training.models import Event

pytestmark = pytest.mark.django_db

ONLINE = {
    "title": "オンライン講座",
    "kind": "online_lecture",
    "starts_at": "2030-06-10T13:30:00+09:00",
    "ends_at": "2030-06-10T15:30:00+09:00",
    "venue": "オンライン",
    "join_url": "https://online-meeting.example/abc",
}


def create(center_staff, **change):
    return client_for(center_staff).post(
        "/api/training/events", {**ONLINE, **change}, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("venue", "Zoom https://zoom.us/j/123?pwd=secret"),
        ("venue", "zoom.us/j/123"),
        ("title", "講座 https://meet.example/x"),
        ("description", "当日は www.example.jp/join から入室"),
    ],
)
def test_a_url_in_a_public_field_of_an_online_event_is_refused(center_staff, field, value):
    response = create(center_staff, **{field: value})

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"][-1] == field
    assert "「オンライン会議のURL」" in item["msg"]
    assert Event.objects.count() == 0


def test_a_url_moved_into_the_venue_of_an_existing_online_event_is_refused(center_staff):
    event = EventFactory(kind="online_lecture", venue="オンライン")

    response = client_for(center_staff).patch(
        f"/api/training/events/{event.pk}/manage",
        {"venue": "Zoom https://zoom.us/j/1?pwd=x"},
        content_type="application/json",
    )

    event.refresh_from_db()
    assert response.status_code == 422
    assert event.venue == "オンライン"


def test_a_web_address_in_an_in_person_event_description_is_fine(center_staff):
    response = create(
        center_staff,
        kind="lecture",
        join_url="",
        venue="高知県立ふくし交流プラザ",
        description="地図: https://map.example/plaza",
    )
    assert response.status_code == 201


def test_the_public_never_sees_a_refused_link(center_staff):
    create(center_staff, venue="Zoom https://zoom.us/j/1?pwd=x", status="published")
    assert "zoom.us" not in Client().get("/api/training/events").content.decode()
