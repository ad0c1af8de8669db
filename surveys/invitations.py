"""The questionnaire's two emails, through notifications (exactly once per attendee, planned
by a job that is safe to run twice):

- ``surveys.invitation``: once the event is over, to every attendee on its roster marked
  present, late or left early (online attendees too: an import marks them present) who has an
  email: one personal link, valid ``Survey.valid_days`` days;
- ``surveys.reminder``: three days before the link closes (10:00 Tokyo), to those who have not
  answered (checked again at send time, so an answer in between withdraws it).

One ``Invitation`` per (survey, roster entry) and one Dispatch per (kind, invitation,
address, moment) make a second run, or a run after a crash, send nothing twice.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import RosterEntry
from core.emails import build_email
from core.fiscal import TOKYO, local_date
from core.tokens import new_token
from notifications.registry import MessageKind, register
from notifications.services import Planned, plan_messages
from surveys.models import Invitation, Survey
from surveys.services import expiry_for, invitation_token, token_hash_for
from training.models import Event

INVITATION = "surveys.invitation"
REMINDER = "surveys.reminder"
REMINDER_DAYS_BEFORE = 3
REMINDER_TIME = dt.time(10, 0)
LOOKBACK = dt.timedelta(days=30)
"""Events that ended longer ago get no invitations any more."""


def reminder_moment(invitation: Invitation) -> dt.datetime | None:
    """10:00 Tokyo three days before the link closes; None when that is not after the
    invitation's day (a short validity gets no reminder)."""
    day = local_date(invitation.expires_at) - dt.timedelta(days=REMINDER_DAYS_BEFORE)
    if day <= local_date(invitation.created_at):
        return None
    return dt.datetime.combine(day, REMINDER_TIME, TOKYO)


def _entries_to_invite(survey: Survey):
    return (
        RosterEntry.objects.attended()
        .filter(event_id=survey.event_id)
        .exclude(email="")
        .exclude(pk__in=survey.invitations.exclude(roster_entry=None).values("roster_entry_id"))
        .order_by("id")
    )


@transaction.atomic
def invite_attendees(survey: Survey, *, now: dt.datetime | None = None) -> int:
    """Create the invitations of the event's attendees not invited yet and plan both emails
    of every invitation of the survey; returns how many invitations it created."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    created = []
    for entry in _entries_to_invite(survey):
        nonce = new_token()
        created.append(
            Invitation.objects.create(
                survey=survey,
                roster_entry=entry,
                nonce=nonce,
                token_hash=token_hash_for(nonce),
                expires_at=expiry_for(survey, now),
                created_at=now,
            )
        )
    invitations = list(survey.invitations.select_related("roster_entry"))
    mails, reminders = {}, {}
    for invitation in invitations:
        entry = invitation.roster_entry
        if entry is None or not entry.email:
            continue
        mails[invitation] = [Planned(entry.email, invitation.created_at, entry.name)]
        moment = reminder_moment(invitation)
        due = invitation.used_on is None and moment is not None
        reminders[invitation] = [Planned(entry.email, moment, entry.name)] if due else []
    plan_messages(kind=INVITATION, plans=mails, now=now)
    plan_messages(kind=REMINDER, plans=reminders, now=now)
    return len(created)


def plan_due(*, now: dt.datetime | None = None) -> str:
    """The scheduled job: invite the attendees of every questionnaire whose event has ended
    (in the last 30 days) and is not cancelled."""
    now = now or timezone.now()
    surveys = Survey.objects.filter(
        event__ends_at__lte=now,
        event__ends_at__gte=now - LOOKBACK,
        event__status=Event.Status.PUBLISHED,
    )
    created = sum(invite_attendees(survey, now=now) for survey in surveys)
    return f"questionnaire invitations: {created} new"


# --- at send time ------------------------------------------------------------------------------


def _still_open(dispatch) -> bool:
    """Not answered yet, and open at the moment it was due (the sender's grace bounds how
    late it may go out)."""
    invitation = dispatch.obj
    return invitation.used_on is None and invitation.expires_at > dispatch.due_at


def _reminder_due(dispatch) -> bool:
    return _still_open(dispatch) and dispatch.due_at == reminder_moment(dispatch.obj)


def _render(template: str):
    def render(dispatch) -> EmailMessage:
        invitation = dispatch.obj
        link = reverse("surveys:answer", args=[invitation_token(invitation)])
        context = {
            "event": invitation.survey.event,
            "name": dispatch.recipient_name,
            "url": f"{settings.SITE_URL}{link}",
            "expires_at": invitation.expires_at,
        }
        return build_email(template, context)

    return render


def register_kinds() -> None:
    queryset = lambda: Invitation.objects.select_related("survey__event")  # noqa: E731
    register(
        MessageKind(
            code=INVITATION,
            label=_("Trainee: questionnaire after the event"),
            render=_render("surveys/email/invitation"),
            still_true=_still_open,
            grace=dt.timedelta(hours=12),
            queryset=queryset,
        )
    )
    register(
        MessageKind(
            code=REMINDER,
            label=_("Trainee: questionnaire reminder"),
            render=_render("surveys/email/reminder"),
            still_true=_reminder_due,
            grace=dt.timedelta(days=1),
            queryset=queryset,
        )
    )
