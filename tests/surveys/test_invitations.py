"""The questionnaire's emails: once the event is over, one personal link to every attendee
recorded present (late and online too), none to the absent; a second run sends nothing twice;
one reminder three days before the link closes, to those who have not answered only."""

import datetime as dt
import re

import pytest
from django.core import mail

from core.fiscal import TOKYO
from notifications.models import Dispatch
from notifications.services import send_due_dispatches
from surveys import invitations, services
from surveys.models import Invitation
from tests.surveys.conftest import full_answer

pytestmark = pytest.mark.django_db

ENDED = dt.datetime(2021, 7, 8, 17, 0, tzinfo=TOKYO)  # the lecture ended at 16:00


def link_token(message) -> str:
    return re.search(r"/surveys/a/([^/]+)/", message.body).group(1)


def test_nothing_is_sent_before_the_event_ends(survey, roster):
    invitations.plan_due(now=dt.datetime(2021, 7, 8, 15, 0, tzinfo=TOKYO))

    assert Invitation.objects.count() == 0


def test_only_attendees_with_an_email_are_invited_once(survey, roster):
    invitations.plan_due(now=ENDED)
    invitations.plan_due(now=ENDED + dt.timedelta(minutes=10))
    report = send_due_dispatches(now=ENDED + dt.timedelta(minutes=11))

    assert report.sent == 3
    assert sorted(m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mail.outbox) == [
        "a@example.jp",
        "b@example.jp",
        "c@example.jp",
    ]
    message = mail.outbox[0]
    assert message.subject == "研修アンケート: ア ひきこもりに関する理解と支援"
    assert "令和3年7月22日（木）までに1回ご回答いただけます" in message.body
    assert Invitation.objects.count() == 3


def test_one_reminder_goes_to_those_who_have_not_answered(survey, roster):
    invitations.plan_due(now=ENDED)
    send_due_dispatches(now=ENDED)
    answered = next(m for m in mail.outbox if "a@example.jp" in m.to[0])
    invitation = Invitation.objects.get(roster_entry=roster["present"])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=dt.datetime(2099, 1, 1, tzinfo=TOKYO)
    )
    services.answer_by_link(token=link_token(answered), data=full_answer(survey))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=dt.datetime(2021, 7, 22, 23, 59, tzinfo=TOKYO)
    )
    mail.outbox.clear()

    reminder_time = dt.datetime(2021, 7, 19, 10, 0, tzinfo=TOKYO)
    send_due_dispatches(now=reminder_time)
    send_due_dispatches(now=reminder_time + dt.timedelta(minutes=5))

    assert sorted(m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mail.outbox) == [
        "b@example.jp",
        "c@example.jp",
    ]
    assert mail.outbox[0].subject == "【再送】研修アンケート: ア ひきこもりに関する理解と支援"
    states = sorted(
        Dispatch.objects.filter(kind=invitations.REMINDER).values_list("recipient", "state")
    )
    assert states == [
        ("a@example.jp", "cancelled"),
        ("b@example.jp", "sent"),
        ("c@example.jp", "sent"),
    ]
