"""Trainee reminders before an event and the waitlist cut-off notice (training/reminders.py)."""

import datetime as dt

import pytest
from django.core import mail

from core.fiscal import TOKYO
from notifications.models import Dispatch
from notifications.services import send_due_dispatches, set_reminder_days
from tests.conftest import client_for
from tests.training.factories import EventFactory, RegistrationFactory
from training import reminders
from training.models import Event, Registration
from training.services import cancel_event, cancel_registration, update_event

pytestmark = pytest.mark.django_db


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


PLANNED_AT = tokyo(2027, 4, 20, 9, 0)
STARTS = tokyo(2027, 5, 12, 14, 0)


@pytest.fixture
def lecture(db):
    return EventFactory(
        title="ひきこもりに関する理解と支援",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
        promotion_cutoff=dt.timedelta(days=2),
    )


def pending():
    """Pending reminders and cut-off notices (the immediate messages of training.reminders, such
    as the update sent when an event moves, are not what these tests are about)."""
    return sorted(
        (row.recipient, row.due_at.astimezone(TOKYO), row.kind)
        for row in Dispatch.objects.filter(
            state="pending", kind__in=[reminders.EVENT_REMINDER, reminders.WAITLIST_CLOSED]
        )
    )


def test_plan_event_plans_3_and_1_days_before_for_confirmed_trainees(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    RegistrationFactory(event=lecture, email="w@example.jp", status="waitlisted")
    RegistrationFactory(event=lecture, email="", phone="088-000-0000")
    RegistrationFactory(event=lecture, email="c@example.jp", status="cancelled")

    reminders.plan_event(lecture, now=PLANNED_AT)

    assert pending() == [
        ("a@example.jp", tokyo(2027, 5, 9, 10, 0), "training.event_reminder"),
        ("a@example.jp", tokyo(2027, 5, 11, 10, 0), "training.event_reminder"),
        ("w@example.jp", tokyo(2027, 5, 10, 14, 0), "training.waitlist_closed"),
    ]


def test_plan_upcoming_twice_changes_nothing_the_second_time(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_upcoming(now=PLANNED_AT)

    second = reminders.plan_upcoming(now=PLANNED_AT)

    assert (second, Dispatch.objects.count()) == ("planned training reminders: 0 change(s)", 2)


def test_reminder_is_sent_with_the_event_as_ics(lecture):
    registration = RegistrationFactory(event=lecture, email="a@example.jp", name="高知 花子")
    reminders.plan_event(lecture, now=PLANNED_AT)

    report = send_due_dispatches(now=tokyo(2027, 5, 9, 10, 1))

    [message] = mail.outbox
    assert (report.sent, message.to) == (1, ["高知 花子 <a@example.jp>"])
    assert message.subject == "リマインダー: ひきこもりに関する理解と支援"
    assert "3日後" in message.body
    assert "令和9年5月12日（水）" in message.body
    [(filename, ics, mimetype)] = [a for a in message.attachments if isinstance(a, tuple)]
    assert (filename, mimetype) == ("event.ics", "text/calendar; charset=utf-8; method=REQUEST")
    assert f"UID:{registration.ical_uid}" in ics.replace("\r\n ", "")


def test_reminder_speaks_english_to_an_english_registrant(lecture):
    RegistrationFactory(event=lecture, email="en@example.jp", language="en")
    reminders.plan_event(lecture, now=PLANNED_AT)

    send_due_dispatches(now=tokyo(2027, 5, 11, 10, 0))

    assert mail.outbox[0].subject == "Reminder: ひきこもりに関する理解と支援"
    assert "The event you registered for is tomorrow." in mail.outbox[0].body


def test_online_reminder_carries_the_personal_join_link_but_not_in_the_ics(db):
    online = EventFactory(
        kind=Event.Kind.ONLINE_LECTURE,
        venue="",
        join_url="https://meet.example.jp/secret-room",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
    )
    registration = RegistrationFactory(event=online, email="a@example.jp")
    reminders.plan_event(online, now=PLANNED_AT)

    send_due_dispatches(now=tokyo(2027, 5, 11, 10, 0))

    [message] = mail.outbox
    join = f"/training/r/{registration.management_token}/join/"
    assert join in message.body
    assert "secret-room" not in message.body
    assert "secret-room" not in message.attachments[0][1]
    assert join not in message.attachments[0][1]


def test_a_moved_event_moves_its_pending_reminders(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)
    later = STARTS + dt.timedelta(days=7)

    update_event(event=lecture, starts_at=later, ends_at=later + dt.timedelta(hours=2))

    assert pending() == [
        ("a@example.jp", tokyo(2027, 5, 16, 10, 0), "training.event_reminder"),
        ("a@example.jp", tokyo(2027, 5, 18, 10, 0), "training.event_reminder"),
    ]
    assert Dispatch.objects.filter(state="cancelled", reason="replanned").count() == 2


def test_a_reminder_planned_before_the_event_moved_is_not_sent(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)
    later = STARTS + dt.timedelta(days=7)
    # moved behind the services' back (the admin, a data fix): nothing replanned it yet
    Event.objects.filter(pk=lecture.pk).update(
        starts_at=later, ends_at=later + dt.timedelta(hours=2)
    )

    report = send_due_dispatches(now=tokyo(2027, 5, 9, 10, 0))

    assert (report.cancelled, mail.outbox) == (1, [])


def test_a_cancelled_event_sends_no_reminder(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)

    cancel_event(event=lecture)

    assert pending() == []
    assert Dispatch.objects.filter(state="cancelled", reason="replanned").count() == 2


def test_a_cancelled_registration_gets_no_reminder(lecture):
    registration = RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)

    cancel_registration(registration=registration)
    mail.outbox.clear()
    report = send_due_dispatches(now=tokyo(2027, 5, 9, 10, 0))

    assert (report.cancelled, mail.outbox) == (1, [])


def test_staff_choose_the_reminder_days_per_event(lecture):
    RegistrationFactory(event=lecture, email="a@example.jp")
    set_reminder_days(kind=reminders.EVENT_REMINDER, topic=f"training.event:{lecture.pk}", days=[7])

    reminders.plan_event(lecture, now=PLANNED_AT)
    report = send_due_dispatches(now=tokyo(2027, 5, 5, 10, 0))

    assert (report.sent, pending()) == (1, [])
    assert "7日後" in mail.outbox[0].body


def test_waitlisted_trainee_is_told_at_the_cutoff_that_no_seat_came_free(lecture):
    RegistrationFactory(event=lecture, email="w@example.jp", status="waitlisted", name="待機 一")
    promoted = RegistrationFactory(event=lecture, email="p@example.jp", status="waitlisted")
    reminders.plan_event(lecture, now=PLANNED_AT)
    Registration.objects.filter(pk=promoted.pk).update(status="confirmed")

    report = send_due_dispatches(now=tokyo(2027, 5, 10, 14, 5))

    assert (report.sent, report.cancelled) == (1, 1)
    assert [m.to for m in mail.outbox] == [["待機 一 <w@example.jp>"]]
    assert mail.outbox[0].subject == "空席が出ませんでした: ひきこもりに関する理解と支援"


def test_staff_change_the_reminder_days_over_the_api_and_reminders_move(lecture, center_staff):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)
    topic = f"training.event:{lecture.pk}"

    response = client_for(center_staff).put(
        "/api/notifications/reminder-days",
        {"topic": topic, "kind": "training.event_reminder", "days": [7, 2]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "training.event_reminder",
            "label": "受講者へのリマインダー（研修の前）",
            "days": [7, 2],
            "default": [3, 1],
        }
    ]
    assert pending() == [
        ("a@example.jp", tokyo(2027, 5, 5, 10, 0), "training.event_reminder"),
        ("a@example.jp", tokyo(2027, 5, 10, 10, 0), "training.event_reminder"),
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": [99]}, "days"),
        ({"topic": "training.event:999999"}, "topic"),
        ({"kind": "training.confirmed"}, "kind"),
    ],
)
def test_reminder_days_reject_bad_input(lecture, center_staff, body, field):
    payload = {"topic": f"training.event:{lecture.pk}", "kind": reminders.EVENT_REMINDER}
    payload["days"] = [3, 1]

    response = client_for(center_staff).put(
        "/api/notifications/reminder-days", {**payload, **body}, content_type="application/json"
    )

    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_reminder_days_are_for_center_staff_only(lecture, municipal_staff):
    response = client_for(municipal_staff).put(
        "/api/notifications/reminder-days",
        {"topic": f"training.event:{lecture.pk}", "kind": reminders.EVENT_REMINDER, "days": []},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_outbox_page_of_an_event_changes_its_reminder_days(lecture, center_staff):
    RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=PLANNED_AT)
    topic = f"training.event:{lecture.pk}"
    client = client_for(center_staff)

    page = client.get(f"/outbox/?topic={topic}").content.decode()
    response = client.post(
        "/outbox/reminder-days/",
        {"topic": topic, "kind": reminders.EVENT_REMINDER, "days": "5、2"},
    )

    assert 'value="3, 1"' in page
    assert response.status_code == 302
    assert [due for _, due, _ in pending()] == [tokyo(2027, 5, 7, 10, 0), tokyo(2027, 5, 10, 10, 0)]


def test_confirming_a_registration_plans_its_reminders_at_once(lecture):
    from training.services import confirm_registration, register_trainee

    Event.objects.filter(pk=lecture.pk).update(
        registration_opens_at=None, registration_closes_at=None
    )
    registration = register_trainee(
        event=lecture,
        name="高知 花子",
        email="a@example.jp",
        affiliation_type="other",
        now=PLANNED_AT,
    )

    confirm_registration(token=registration.confirmation_token, now=PLANNED_AT)

    assert pending() == [
        ("a@example.jp", tokyo(2027, 5, 9, 10, 0), "training.event_reminder"),
        ("a@example.jp", tokyo(2027, 5, 11, 10, 0), "training.event_reminder"),
    ]
