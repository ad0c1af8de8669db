"""A join link typed into a public field of an online event (title, 会場, description) is
refused with a message pointing to the join-link field; nothing is written."""

import pytest
from django.test import Client
from django.utils import timezone

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


# --- what people actually paste (issue #19): refused through the API and the staff form ----------

PASTED = [
    ("venue", "meet.example/j/8123456789"),  # no scheme
    ("venue", "ｈｔｔｐｓ：／／meet.example/j/812"),  # full width
    ("description", "当日はこちら zoom.com/j/81234567890 から"),
    ("description", "meet.jit.si/sasaeru-kenshu"),
    ("description", "ミーティングID: 812 3456 7890 パスコード: 123456"),
    ("venue", "Zoom ID 812 3456 7890 / PW abc123"),
    ("description", "パスコード：ａｂｃ１２３４"),
    ("title", "講座 teams.microsoft.com/l/meetup-join/19"),
    ("description", "Webex 会議番号 2511 234 5678"),
    ("description", "meet.google.com/abc-defg-hij"),
    ("venue", "ZOOM.US/j/1"),
]
FIELD_NAMES = {"title": "名称", "venue": "会場", "description": "説明"}


@pytest.fixture
def online_event(db):
    return EventFactory(kind="online_lecture", venue="オンライン", description="ご自宅から参加")


def unchanged(event, before):
    event.refresh_from_db()
    return (event.title, event.venue, event.description, event.sequence) == before


def public_views(event):
    return (
        Client().get(event.get_absolute_url()).content.decode()
        + Client().get("/api/training/events").content.decode()
        + Client().get("/calendar/trainings.ics").content.decode()
    )


@pytest.mark.parametrize(("field", "value"), PASTED)
def test_a_pasted_meeting_is_refused_by_the_api(center_staff, online_event, field, value):
    before = (online_event.title, online_event.venue, online_event.description, 0)

    response = client_for(center_staff).patch(
        f"/api/training/events/{online_event.pk}/manage",
        {field: value},
        content_type="application/json",
    )

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"][-1] == field
    assert f"「{FIELD_NAMES[field]}」は公開される欄" in item["msg"]
    assert "「オンライン会議のURL」" in item["msg"]
    assert unchanged(online_event, before)
    assert value not in public_views(online_event)


@pytest.mark.parametrize(("field", "value"), PASTED)
def test_a_pasted_meeting_is_refused_by_the_staff_form(center_staff, online_event, field, value):
    before = (online_event.title, online_event.venue, online_event.description, 0)
    form = {
        "title": online_event.title,
        "kind": online_event.kind,
        "starts_at": timezone.localtime(online_event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(online_event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": online_event.venue,
        "description": online_event.description,
        "join_url": "https://online-meeting.example/abc",
        "capacity": "30",
        "promotion_cutoff_hours": "48",
    }

    response = client_for(center_staff).post(
        f"/training/staff/events/{online_event.pk}/edit/", {**form, field: value}
    )

    assert response.status_code == 422
    assert f"「{FIELD_NAMES[field]}」は公開される欄" in response.content.decode()
    assert unchanged(online_event, before)


@pytest.mark.parametrize(
    "text",
    [
        "オンライン（Zoom）",
        "パスワードは前日にメールでお送りします",
        "問い合わせ 電話番号 088-821-4508",
        "連絡先 info@example.jp",
        "資料 p.5/10 を参照",
        "2026/12/14 13:30 開始",
    ],
)
def test_ordinary_text_of_an_online_event_is_accepted(center_staff, online_event, text):
    response = client_for(center_staff).patch(
        f"/api/training/events/{online_event.pk}/manage",
        {"description": text},
        content_type="application/json",
    )

    assert response.status_code == 200
    online_event.refresh_from_db()
    assert online_event.description == text
