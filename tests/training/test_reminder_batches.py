"""Reminders rendered once per event and batch (training/reminders.py, training/calendar.py):
every message is the same as the one rendered for its registrant alone."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from core.emails import render_email
from core.fiscal import TOKYO
from notifications.services import send_due_dispatches
from tests.training.factories import EventFactory, RegistrationFactory
from training import reminders
from training.calendar import event_ics
from training.models import Event

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2027, 5, 12, 14, 0, tzinfo=TOKYO)
PLANNED_AT = dt.datetime(2027, 4, 20, 9, 0, tzinfo=TOKYO)
SENT_AT = dt.datetime(2027, 5, 11, 10, 0, tzinfo=TOKYO)  # the reminders one day before
# Names that need care in a body or as an .ics parameter, and one long enough to be folded.
NAMES = ["高知 花子", 'O"Brien, Pat; Jr.:', "長" * 40, "Tanaka Taro"]


@pytest.fixture
def events(db):
    lecture = EventFactory(
        title="ひきこもりに関する理解と支援；第1回, 講義",
        venue="高知県立ふくし交流プラザ 第1研修室",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
    )
    online = EventFactory(
        title="オンライン講義",
        kind=Event.Kind.ONLINE_LECTURE,
        venue="",
        join_url="https://meet.example.jp/secret-room",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
    )
    for event in (lecture, online):
        for number, name in enumerate(NAMES):
            RegistrationFactory(
                event=event,
                name=name,
                email=f"t{number}@example.jp",
                language="en" if number == 3 else "ja",
            )
        reminders.plan_event(event, now=PLANNED_AT)
    return lecture, online


def alone(registration):
    """The subject and body rendered for this registrant alone, with the whole context."""
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "management_url": registration.management_url(),
        "site_url": settings.SITE_URL,
        "days_left": 1,
        "join_url": settings.SITE_URL
        + reverse("training:manage_join", args=[registration.management_token])
        if event.is_online
        else "",
        "checkin_code": registration.checkin_code,
    }
    with translation.override(registration.language):
        return render_email("training/email/reminder", context)


def properties(ics: str) -> dict:
    [item] = Calendar.from_ical(ics).walk("VEVENT")
    found = {name: item.decoded(name) for name in item if name != "DTSTAMP"}
    found["ATTENDEE_CN"] = str(item["ATTENDEE"].params["CN"])
    return found


def test_every_reminder_of_a_batch_is_the_one_rendered_for_its_registrant_alone(events):
    report = send_due_dispatches(now=SENT_AT, batch_size=100)

    assert report.sent == 2 * len(NAMES) == len(mail.outbox)
    for event in events:
        for registration in event.registrations.all():
            [message] = [
                m
                for m in mail.outbox
                if m.to[0].endswith(f"<{registration.email}>") and event.title in m.subject
            ]
            assert (message.subject, message.body) == alone(registration)
            [(_name, ics, _mimetype)] = [a for a in message.attachments if isinstance(a, tuple)]
            expected = event_ics(event, registration)
            assert properties(ics) == properties(expected.decode())
            assert properties(ics)["ATTENDEE_CN"] == registration.name
            assert properties(ics)["UID"] == registration.ical_uid


def test_a_batch_renders_each_event_once_per_language(events, monkeypatch):
    calls = []

    def counting(template, context):
        calls.append(template)
        return render_email(template, context)

    monkeypatch.setattr(reminders, "render_email", counting)

    send_due_dispatches(now=SENT_AT, batch_size=100)

    # two events, each with Japanese and English registrants: four renderings for 8 messages
    assert (len(calls), len(mail.outbox)) == (4, 8)
