"""Visit notices and reminders to municipality contacts and staff (supervision/reminders.py)."""

import datetime as dt

import pytest
from django.core import mail

from core.fiscal import TOKYO
from notifications.models import Dispatch
from notifications.services import send_due_dispatches
from supervision import reminders
from supervision.services import cancel_visit, postpone_visit, schedule_visit
from tests.factories import ContactFactory, municipality
from tests.supervision.conftest import at, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def ino_contact(db):
    return ContactFactory(
        municipality=municipality("いの町"), name="伊野 一郎", email="ino@example.jp"
    )


def visit_to_ino(center_staff, day="2027-05-06", time="13:30"):
    return schedule_visit(
        target_id=target("いの町").pk,
        kind="case_meeting",
        starts_at=at(day, time),
        place="いの町保健福祉センター",
        staff_ids=[center_staff.pk],
        confidential_notes="山田さん（仮名）の件",
        actor=center_staff,
    )


def pending(kind):
    return sorted(
        (row.recipient, row.due_at.astimezone(TOKYO))
        for row in Dispatch.objects.filter(kind=kind, state="pending")
    )


def test_contacts_are_told_when_a_visit_is_scheduled(
    center_staff, ino_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit_to_ino(center_staff)

    [message] = mail.outbox
    assert message.to == ["伊野 一郎 <ino@example.jp>"]
    assert message.subject == "訪問予定のお知らせ: 令和9年5月6日（木） いの町"
    assert "いの町保健福祉センター" in message.body
    assert "令和9年5月6日（木） 13:30～15:30" in message.body
    assert "山田" not in message.subject + message.body


def test_contacts_are_told_when_a_visit_moves_and_its_reminders_move(
    center_staff, ino_contact, django_capture_on_commit_callbacks
):
    visit = visit_to_ino(center_staff)
    send_due_dispatches()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        postpone_visit(
            visit_id=visit.pk, new_starts_at=at("2027-05-13", "13:30"), actor=center_staff
        )

    assert [m.subject for m in mail.outbox] == [
        "訪問日程変更のお知らせ: 令和9年5月13日（木） いの町"
    ]
    assert pending(reminders.VISIT_REMINDER) == [
        ("ino@example.jp", dt.datetime(2027, 5, 12, 9, 0, tzinfo=TOKYO))
    ]


def test_contacts_are_told_when_a_visit_is_cancelled_and_nothing_more(
    center_staff, ino_contact, django_capture_on_commit_callbacks
):
    visit = visit_to_ino(center_staff)
    send_due_dispatches()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_visit(visit_id=visit.pk, reason="先方の都合", actor=center_staff)

    assert [m.subject for m in mail.outbox] == ["訪問中止のお知らせ: 令和9年5月6日（木） いの町"]
    assert pending(reminders.VISIT_REMINDER) == []
    assert pending(reminders.STAFF_VISIT_REMINDER) == []


def test_a_notice_overtaken_by_a_newer_change_is_not_sent(center_staff, ino_contact):
    visit = visit_to_ino(center_staff)
    postpone_visit(visit_id=visit.pk, new_starts_at=at("2027-05-13", "13:30"), actor=center_staff)

    report = send_due_dispatches()

    assert (report.sent, report.cancelled) == (1, 1)
    assert [m.subject for m in mail.outbox] == [
        "訪問日程変更のお知らせ: 令和9年5月13日（木） いの町"
    ]


def test_reminders_go_out_the_working_day_before_golden_week_ends(center_staff, ino_contact):
    visit_to_ino(center_staff, day="2027-05-06")  # Thu after 5/3-5/5 holidays and a weekend

    assert pending(reminders.VISIT_REMINDER) == [
        ("ino@example.jp", dt.datetime(2027, 4, 30, 9, 0, tzinfo=TOKYO))
    ]
    assert pending(reminders.STAFF_VISIT_REMINDER) == [
        ("center@example.jp", dt.datetime(2027, 4, 30, 9, 0, tzinfo=TOKYO))
    ]


def test_reminders_go_out_before_the_year_end_break(center_staff, ino_contact):
    visit_to_ino(center_staff, day="2028-01-04")  # first working day after 12/29-1/3

    assert pending(reminders.VISIT_REMINDER) == [
        ("ino@example.jp", dt.datetime(2027, 12, 28, 9, 0, tzinfo=TOKYO))
    ]


def test_the_day_before_reminders_are_sent_to_contact_and_staff(center_staff, ino_contact):
    visit_to_ino(center_staff, day="2027-05-06")
    send_due_dispatches()  # the notice
    mail.outbox.clear()

    report = send_due_dispatches(now=dt.datetime(2027, 4, 30, 9, 0, 30, tzinfo=TOKYO))

    assert report.sent == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "リマインダー: 訪問 令和9年5月6日（木） いの町",
        "次の稼働日の訪問: 令和9年5月6日（木） いの町",
    ]
    assert all("山田" not in m.body for m in mail.outbox)


def test_a_contact_who_does_not_want_mail_gets_none(center_staff):
    ContactFactory(municipality=municipality("いの町"), receives_notifications=False)

    visit_to_ino(center_staff)
    send_due_dispatches()

    assert (mail.outbox, pending(reminders.VISIT_REMINDER)) == ([], [])


def test_plan_upcoming_twice_changes_nothing(center_staff, ino_contact):
    now = dt.datetime(2027, 4, 25, 12, 0, tzinfo=TOKYO)
    visit_to_ino(center_staff, day="2027-05-06")
    reminders.plan_upcoming(now=now)

    second = reminders.plan_upcoming(now=now)

    assert second == "planned visit reminders: 0 change(s)"
