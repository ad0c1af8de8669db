"""A roster still open one working day after its event reminds staff (attendance/reminders.py)."""

import datetime as dt

import pytest
from django.core import mail

from attendance import reminders
from attendance.services import close_roster
from core.fiscal import TOKYO
from notifications.models import Dispatch
from notifications.services import send_due_dispatches
from tests.attendance.factories import LectureFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def pending():
    return sorted(
        (row.recipient, row.due_at.astimezone(TOKYO))
        for row in Dispatch.objects.filter(kind=reminders.ROSTER_OPEN, state="pending")
    )


def test_roster_reminder_skips_golden_week(center_staff):
    event = LectureFactory(starts_at=tokyo(2027, 4, 30, 13, 30))  # Friday before Golden Week
    event.staff.set([center_staff])

    reminders.plan_event(event, now=tokyo(2027, 4, 30, 9, 0))

    assert pending() == [("center@example.jp", tokyo(2027, 5, 6, 10, 0))]


def test_roster_reminder_skips_the_year_end_break(center_staff):
    event = LectureFactory(starts_at=tokyo(2027, 12, 28, 13, 30))

    reminders.plan_event(event, now=tokyo(2027, 12, 28, 9, 0))

    assert pending() == [("center@example.jp", tokyo(2028, 1, 4, 10, 0))]


def test_roster_reminder_goes_to_the_assigned_staff_only(center_staff):
    assigned = UserFactory(username="assigned", role="center")
    event = LectureFactory(starts_at=tokyo(2027, 6, 10, 13, 30))
    event.staff.set([assigned])
    reminders.plan_event(event, now=tokyo(2027, 6, 10, 9, 0))

    report = send_due_dispatches(now=tokyo(2027, 6, 11, 10, 0))

    assert (report.sent, len(mail.outbox)) == (1, 1)
    assert mail.outbox[0].to[0].endswith("<assigned@example.jp>")
    assert (
        mail.outbox[0].subject
        == "出欠簿が締められていません: 令和9年6月10日（木） ア ひきこもりに関する理解と支援"
    )
    assert f"/attendance/events/{event.pk}/" in mail.outbox[0].body


def test_a_closed_roster_sends_no_reminder(center_staff):
    event = LectureFactory(starts_at=tokyo(2027, 6, 10, 13, 30))
    reminders.plan_event(event, now=tokyo(2027, 6, 10, 9, 0))

    close_roster(event=event, user=center_staff, now=tokyo(2027, 6, 10, 17, 0))
    report = send_due_dispatches(now=tokyo(2027, 6, 11, 10, 0))

    assert (report.cancelled, mail.outbox) == (1, [])


def test_plan_recent_withdraws_the_reminder_of_a_closed_roster(center_staff):
    event = LectureFactory(starts_at=tokyo(2027, 6, 10, 13, 30))
    reminders.plan_recent(now=tokyo(2027, 6, 10, 9, 0))

    close_roster(event=event, user=center_staff, now=tokyo(2027, 6, 10, 17, 0))
    reminders.plan_recent(now=tokyo(2027, 6, 10, 17, 5))
    again = reminders.plan_recent(now=tokyo(2027, 6, 10, 17, 6))

    assert (pending(), again) == ([], "planned roster reminders: 0 change(s)")
