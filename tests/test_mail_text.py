"""Mails written as mail (issue #21): every kind of message Sasaeru sends, with a title and a
name full of characters HTML would escape, arrives with them verbatim in its subject and body;
every date reads in 和暦 (never 2026-12-18); each message has a Message-ID in the site's domain
and ``Auto-Submitted: auto-generated``."""

import datetime as dt
import re
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from attendance.reminders import ROSTER_OPEN
from core.fiscal import TOKYO
from notifications.digest import WEEKLY_DIGEST
from notifications.registry import all_kinds
from supervision.reminders import STAFF_VISIT_REMINDER, VISIT_NOTICE, VISIT_REMINDER
from tests.factories import UserFactory
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Registration

NASTY = "Q&A <研修> 'テスト'"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A fixed moment: a Friday afternoon, so every date in the mails is the same known one.
STARTS = dt.datetime(2026, 12, 18, 13, 30, tzinfo=TOKYO)

SUPERVISION_KINDS = {VISIT_NOTICE, VISIT_REMINDER, STAFF_VISIT_REMINDER}


def _objects():
    event = EventFactory(
        title=NASTY,
        venue=NASTY,
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2, minutes=30),
    )
    registration = RegistrationFactory(event=event, name=NASTY, language="ja")
    waitlisted = RegistrationFactory(
        event=event, name=NASTY, language="ja", status=Registration.Status.WAITLISTED
    )
    visit = VisitFactory(starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=2), place=NASTY)
    staff = UserFactory(username="mailer", role="center", last_name=NASTY, email="c@example.jp")
    return {
        "registration": registration,
        "waitlisted": waitlisted,
        "event": event,
        "visit": visit,
        "staff": staff,
    }


def _dispatch(code: str, objects: dict):
    """What a kind's ``render`` reads of a Dispatch row: its object, recipient and moment."""
    if code.startswith("training."):
        obj = objects["waitlisted" if code.endswith("waitlist_closed") else "registration"]
        due = STARTS - dt.timedelta(days=1)
    elif code in SUPERVISION_KINDS:
        obj, due = objects["visit"], STARTS - dt.timedelta(days=1)
    elif code == ROSTER_OPEN:
        obj, due = objects["event"], STARTS + dt.timedelta(days=1)
    elif code == WEEKLY_DIGEST:
        # The week of the event and the visit (Monday 14 December).
        obj, due = objects["staff"], dt.datetime(2026, 12, 14, 8, tzinfo=TOKYO)
    else:
        raise AssertionError(f"{code}: a kind this test does not know; add it here")
    return SimpleNamespace(
        obj=obj, recipient="r@example.jp", recipient_name=NASTY, due_at=due, language="ja"
    )


SENDING_APPS = {"training", "supervision", "attendance", "notifications"}


@pytest.mark.django_db
@override_settings(SITE_URL="https://sasaeru.example.org")
def test_every_mail_kind_is_plain_text_in_wareki_with_automated_headers():
    objects = _objects()
    kinds = [kind for kind in all_kinds() if kind.app in SENDING_APPS]
    assert len(kinds) >= 14, [kind.code for kind in kinds]
    for kind in kinds:
        mail.outbox.clear()
        with translation.override("ja"):
            message = kind.render(_dispatch(kind.code, objects))
        message.to = ["r@example.jp"]
        message.send()
        sent = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
        subject = str(sent["Subject"])
        body = sent.get_body(("plain",)).get_content()
        text = f"{subject}\n{body}"
        assert "&amp;" not in text and "&lt;" not in text and "&#x27;" not in text, kind.code
        assert NASTY in body, kind.code
        if kind.code != WEEKLY_DIGEST:  # the digest's subject is its week
            assert "Q&A" in subject or "いの町" in subject, (kind.code, subject)
        assert not ISO_DATE.search(text), (kind.code, ISO_DATE.search(text))
        assert "令和8年12月" in text, (kind.code, text)
        assert sent["Auto-Submitted"] == "auto-generated", kind.code
        assert str(sent["Message-ID"]).endswith("@sasaeru.example.org>"), sent["Message-ID"]
    assert {kind.code for kind in kinds} >= {ROSTER_OPEN, WEEKLY_DIGEST, *SUPERVISION_KINDS}


@pytest.mark.django_db
def test_the_training_subject_carries_the_title_verbatim():
    objects = _objects()
    from training.reminders import CONFIRMED, render_message

    with translation.override("ja"):
        message = render_message(CONFIRMED, objects["registration"])
    assert message.subject.endswith(f": {NASTY}")
    assert "令和8年12月18日（金） 13:30～16:00" in message.body
