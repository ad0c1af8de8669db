import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from directory.services import issue_api_token
from tests.conftest import client_for
from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

FORM = {
    "name": "高知 花子",
    "kana": "こうち はなこ",
    "email": "hanako@example.jp",
    "affiliation_type": "welfare_commissioner",
    "organization": "いの町民生委員児童委員協議会",
    "job_title": "民生委員",
}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_events_list_shows_published_trainings_with_seats_left(db):
    event = EventFactory(capacity=3, title="ひきこもりの理解")
    RegistrationFactory(event=event)
    EventFactory(status="draft")
    EventFactory(status="cancelled")
    EventFactory(kind="liaison_meeting")

    response = Client().get("/api/training/events")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    rows = response.json()["items"]
    assert [(r["id"], r["title"], r["capacity"], r["seats_left"]) for r in rows] == [
        (event.id, "ひきこもりの理解", 3, 2)
    ]
    assert set(rows[0]) >= {"id", "title", "kind", "starts_at", "ends_at", "capacity", "seats_left"}
    assert "join_url" not in rows[0]


def test_events_list_query_count_is_the_same_for_1_and_50(db, django_assert_num_queries):
    EventFactory()
    with django_assert_num_queries(2):  # the count, the page
        Client().get("/api/training/events")

    EventFactory.create_batch(49)

    with django_assert_num_queries(2):
        response = Client().get("/api/training/events")
    assert len(response.json()["items"]) == 50


def test_staff_creates_a_published_event_with_an_open_window(center_staff):
    starts = timezone.now() + dt.timedelta(days=20)

    response = post(
        client_for(center_staff),
        "/api/training/events",
        {
            "title": "事例研究を通した研修",
            "kind": "case_study",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            "capacity": 40,
            "status": "published",
        },
    )

    assert response.status_code == 201
    event = Event.objects.get()
    assert (event.status, event.capacity, event.registration_is_open()) == ("published", 40, True)
    assert response.json()["seats_left"] == 40
    assert response.json()["registration_closes_at"] == response.json()["starts_at"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2030-01-01T09:00:00+09:00"}, "ends_at"),
        ({"kind": "party"}, "kind"),
        ({"status": "cancelled"}, "status"),
        ({"capacity": -1}, "capacity"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"join_url": "javascript:alert(1)"}, "join_url"),
        ({"promotion_cutoff_hours": 1e12}, "promotion_cutoff_hours"),
        ({"promotion_cutoff_hours": float("nan")}, "promotion_cutoff_hours"),
    ],
)
def test_staff_event_bad_input_is_422_and_creates_nothing(center_staff, change, field):
    payload = {
        "title": "講義",
        "kind": "lecture",
        "starts_at": "2030-01-01T10:00:00+09:00",
        "ends_at": "2030-01-01T12:00:00+09:00",
        "capacity": 10,
        "status": "published",
        **change,
    }

    response = post(client_for(center_staff), "/api/training/events", payload)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert response.json()["detail"][0]["msg"] != "定員は参加確定者数（0人）より少なくできません。"
    assert Event.objects.count() == 0


def test_event_creation_is_refused_to_other_roles(personas):
    payload = {"title": "x", "kind": "lecture", "starts_at": "2030-01-01T10:00:00+09:00",
               "ends_at": "2030-01-01T12:00:00+09:00", "capacity": 10}  # fmt: skip

    statuses = [
        post(client_for(personas[role]), "/api/training/events", payload).status_code
        for role in ["health_office", "municipal", "outsider"]
    ] + [post(Client(), "/api/training/events", payload).status_code]

    assert statuses == [403, 403, 404, 401]


def test_web_registration_answers_201_pending_and_emails_a_link(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(Client(), f"/api/training/events/{event.id}/registrations", FORM)

    registration = Registration.objects.get()
    assert response.status_code == 201
    assert registration.status == "pending_confirmation"
    assert response.json() == {
        "id": None,
        "status": "pending_confirmation",
        "position": None,
        "event_id": event.id,
        "detail": "確認メールを送りました。",
    }
    assert [sent_to(m) for m in mail.outbox] == ["hanako@example.jp"]


def test_staff_registration_is_confirmed_then_waitlisted_with_position(center_staff):
    event = EventFactory(capacity=1)
    client = client_for(center_staff)
    phone = {**FORM, "email": "", "phone": "088-000-1111", "source": "phone"}

    first = post(client, f"/api/training/events/{event.id}/registrations", phone)
    second = post(client, f"/api/training/events/{event.id}/registrations",
                  {**phone, "name": "土佐 次郎", "source": "fax"})  # fmt: skip

    assert (first.status_code, first.json()["status"], first.json()["position"]) == (
        201, "confirmed", None,
    )  # fmt: skip
    assert (second.status_code, second.json()["status"], second.json()["position"]) == (
        201, "waitlisted", 1,
    )  # fmt: skip


def test_token_registration_by_script_is_a_staff_registration(center_staff):
    event = EventFactory()
    _, raw = issue_api_token(user=center_staff, label="fax")

    response = Client().post(
        f"/api/training/events/{event.id}/registrations",
        {**FORM, "source": "fax"},
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )

    assert (response.status_code, response.json()["status"]) == (201, "confirmed")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "有効なメールアドレスを入力してください。"),
        ({"municipality_id": 999999}, "municipality_id", "不明な市町村です。"),
        ({"affiliation_type": "alien"}, "affiliation_type", "所属の種別を選んでください。"),
        ({"name": " "}, "name", "氏名を入力してください。"),
    ],
)
def test_registration_bad_input_is_422_in_japanese_and_writes_nothing(
    event, change, field, message
):
    response = post(Client(), f"/api/training/events/{event.id}/registrations", {**FORM, **change})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert response.json()["detail"][0]["msg"] == message
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_registration_for_a_cancelled_or_closed_event_is_refused(db):
    closed = EventFactory(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    cancelled = EventFactory()
    Event.objects.filter(pk=cancelled.pk).update(status="cancelled")

    answers = [
        post(Client(), f"/api/training/events/{e.id}/registrations", FORM) for e in (closed,)
    ]
    gone = post(Client(), f"/api/training/events/{cancelled.id}/registrations", FORM)

    assert [(a.status_code, a.json()["detail"][0]["loc"][-1]) for a in answers] == [(422, "event")]
    assert (gone.status_code, gone.json()["detail"][0]["msg"]) == (
        422, "この研修・行事は中止になりました。",
    )  # fmt: skip
    assert Registration.objects.count() == 0


def test_duplicate_email_gets_the_new_registration_answer_and_no_second_row(event):
    first = post(Client(), f"/api/training/events/{event.id}/registrations", FORM)

    response = post(
        Client(), f"/api/training/events/{event.id}/registrations",
        {**FORM, "email": "HANAKO@example.jp"},
    )  # fmt: skip

    assert (response.status_code, response.json()) == (first.status_code, first.json())
    assert Registration.objects.count() == 1


def test_confirm_through_the_api_then_reuse_is_refused(event):
    post(Client(), f"/api/training/events/{event.id}/registrations", FORM)
    token = Registration.objects.get().confirmation_token

    first = post(Client(), "/api/training/registrations/confirm", {"token": token})
    again = post(Client(), "/api/training/registrations/confirm", {"token": token})

    assert (first.status_code, first.json()["status"]) == (200, "confirmed")
    assert again.status_code == 404  # a used token names no registration (as /registrations/me)


def test_registrant_cancels_with_the_token_and_the_next_is_promoted(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            Client(),
            f"/api/training/registrations/{seated.id}/cancel",
            {"token": seated.management_token},
        )

    waiting.refresh_from_db()
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert waiting.status == "confirmed"
    assert sorted(sent_to(m) for m in mail.outbox) == sorted([seated.email, waiting.email])


def test_cancel_needs_the_right_token_or_staff(event, personas):
    registration = RegistrationFactory(event=event)
    other = RegistrationFactory(event=event)
    url = f"/api/training/registrations/{registration.id}/cancel"

    statuses = [
        post(Client(), url, {"token": other.management_token}).status_code,
        post(Client(), url, {"token": "nope"}).status_code,
        post(Client(), url).status_code,
        post(client_for(personas["outsider"]), url).status_code,
        post(client_for(personas["municipal"]), url).status_code,
    ]

    registration.refresh_from_db()
    assert statuses == [404, 404, 404, 404, 404]
    assert registration.status == "confirmed"


def test_staff_cancels_on_behalf_and_a_second_cancel_is_409(center_staff, event):
    registration = RegistrationFactory(event=event)
    client = client_for(center_staff)
    url = f"/api/training/registrations/{registration.id}/cancel"

    first = post(client, url)
    second = post(client, url)

    assert (first.status_code, first.json()["status"]) == (200, "cancelled")
    assert second.status_code == 409


def test_staff_registrations_list_has_positions(center_staff, django_assert_num_queries):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory.create_batch(2, event=event, status="waitlisted")

    response = client_for(center_staff).get(f"/api/training/events/{event.id}/registrations")

    rows = response.json()["items"]
    assert [(r["status"], r["position"]) for r in rows] == [
        ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2),
    ]  # fmt: skip
    assert rows[2]["id"] == waiting[1].id


@pytest.mark.parametrize("rows", [1, 50])
def test_staff_registrations_list_query_count_is_constant(
    center_staff, django_assert_num_queries, rows
):
    event = EventFactory(capacity=None)
    RegistrationFactory.create_batch(rows, event=event)
    client = client_for(center_staff)

    with django_assert_num_queries(5):  # session, user, event, the count, the page
        response = client.get(f"/api/training/events/{event.id}/registrations")

    assert len(response.json()["items"]) == response.json()["count"] == rows


def test_registrations_are_hidden_from_other_roles(personas, event):
    RegistrationFactory(event=event)
    url = f"/api/training/events/{event.id}/registrations"

    statuses = [client_for(personas[r]).get(url).status_code for r in ["health_office", "outsider"]]

    assert statuses == [403, 404]


def test_capacity_below_confirmed_is_422_over_the_api(center_staff):
    event = EventFactory(capacity=2)
    RegistrationFactory.create_batch(2, event=event)

    response = client_for(center_staff).patch(
        f"/api/training/events/{event.id}/manage", {"capacity": 1}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "capacity"
    assert Event.objects.get().capacity == 2


def test_my_registration_shows_status_and_position(db):
    event = EventFactory(capacity=0)
    registration = RegistrationFactory(event=event, status="waitlisted")

    response = post(
        Client(), "/api/training/registrations/me", {"token": registration.management_token}
    )

    assert response.json() == {
        "id": registration.id, "status": "waitlisted", "position": 1, "event_id": event.id,
    }  # fmt: skip


def test_english_registrant_gets_english_emails(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(Client(), f"/api/training/events/{event.id}/registrations",
             {**FORM, "language": "en"})  # fmt: skip

    assert mail.outbox[0].subject == f"Please confirm your registration: {event}"
    assert mail.outbox[0].body.startswith("Dear 高知 花子,")


def test_draft_event_is_not_found_by_the_public(db):
    draft = EventFactory(status="draft")

    answers = [
        Client().get(f"/api/training/events/{draft.id}").status_code,
        post(Client(), f"/api/training/events/{draft.id}/registrations", FORM).status_code,
    ]

    assert answers == [404, 404]


@pytest.mark.parametrize("rows", [1, 50])
def test_staff_all_events_and_courses_query_counts_are_constant(
    center_staff, django_assert_num_queries, rows
):
    EventFactory.create_batch(rows)
    client = client_for(center_staff)

    with django_assert_num_queries(4):  # session, user, the count, the page
        events = client.get("/api/training/all-events")
    with django_assert_num_queries(4):
        courses = client.get("/api/training/courses")

    assert (len(events.json()["items"]), courses.status_code) == (rows, 200)


def test_public_event_detail_has_no_join_link(db):
    event = EventFactory(kind="online_lecture", venue="", join_url="https://meet.example/secret")

    response = Client().get(f"/api/training/events/{event.id}")

    assert response.status_code == 200
    assert "secret" not in response.content.decode()
    assert response.json()["is_online"] is True


def test_staff_build_a_session_of_a_lecture_then_a_dialogue(center_staff):
    event = EventFactory()
    client = client_for(center_staff)
    komatsu = post(client, "/api/training/lecturers",
                   {"name": "小松 静香", "affiliation": "高知大学医学部", "title": "特任助教",
                    "honorific": "医師", "print_style": "position"})  # fmt: skip
    yamasaki = post(client, "/api/training/lecturers",
                    {"name": "山﨑 正雄", "affiliation": "高知県立精神保健福祉センター", "title": "所長"})  # fmt: skip

    post(client, f"/api/training/events/{event.id}/parts",
         {"kind": "lecture", "title": "ひきこもりを理解するための精神障害",
          "lecturer_ids": [komatsu.json()["id"]]})  # fmt: skip
    post(client, f"/api/training/events/{event.id}/parts",
         {"kind": "dialogue", "title": "ひきこもり支援における医療との連携",
          "lecturer_ids": [komatsu.json()["id"], yamasaki.json()["id"]]})  # fmt: skip
    parts = Client().get(f"/api/training/events/{event.id}/parts").json()

    assert [(p["order"], p["kind"], [(s["name"], s["role"]) for s in p["speakers"]]) for p in parts] == [
        (1, "lecture", [("小松 静香", "lecturer")]),
        (2, "dialogue", [("小松 静香", "dialogist"), ("山﨑 正雄", "dialogist")]),
    ]  # fmt: skip
    assert (komatsu.json()["honorific"], komatsu.json()["print_style"]) == ("医師", "position")
    assert parts[0]["speakers"][0]["honorific"] == "医師"


def test_lecturer_with_an_unknown_print_style_is_422(center_staff):
    from training.models import Lecturer

    response = post(client_for(center_staff), "/api/training/lecturers",
                    {"name": "小松 静香", "print_style": "sideways"})  # fmt: skip

    assert (response.status_code, response.json()["detail"][0]["loc"][-1]) == (422, "print_style")
    assert not Lecturer.objects.exists()


def test_part_with_an_unknown_lecturer_is_422(center_staff, event):
    response = post(client_for(center_staff), f"/api/training/events/{event.id}/parts",
                    {"kind": "lecture", "title": "講義", "lecturer_ids": [99999]})  # fmt: skip

    assert (response.status_code, response.json()["detail"][0]["loc"][-1]) == (422, "lecturer_ids")
    assert event.parts.count() == 0
