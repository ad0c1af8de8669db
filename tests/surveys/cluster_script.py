"""Arrange and inspect the database of the questionnaire's qcluster test from a separate
process: ``python -m tests.surveys.cluster_script seed``, ``plan 2``, ``send 2``, ``answer``,
``shift``, ``state``."""

import datetime as dt
import json
import sys

import django


def seed() -> None:
    """A lecture that ended an hour ago with its questionnaire: four attendees recorded present
    (one of them late) with an email, one absent."""
    from django.utils import timezone

    from attendance.models import RosterEntry
    from directory.models import User
    from surveys import services
    from training.models import Event

    now = timezone.now()
    event = Event.objects.create(
        title="研修アンケートの試験",
        kind=Event.Kind.LECTURE,
        status=Event.Status.PUBLISHED,
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now - dt.timedelta(hours=1),
    )
    statuses = ["present", "present", "late", "present", "absent"]
    for number, status in enumerate(statuses):
        RosterEntry.objects.create(
            event=event,
            source="walk_in",
            name=f"受講 {number}",
            email=f"trainee{number}@example.jp",
            affiliation_type="municipal",
            status=status,
        )
    staff = User.objects.create(username="center", role="center")
    services.create_survey(actor=staff, event_id=event.pk)


def answer() -> None:
    """The first attendee answers through their link."""
    from attendance.models import RosterEntry
    from surveys import services
    from surveys.models import Invitation

    invitation = Invitation.objects.get(roster_entry=RosterEntry.objects.order_by("id").first())
    survey = invitation.survey
    data = {}
    for question in survey.questions.filter(required=True):
        data[services.field_name(question)] = ["4"]
    services.answer_by_link(token=services.invitation_token(invitation), data=data)


def shift() -> None:
    """Two days later: the links close in three days, so the reminder is due (10:00 today, or
    yesterday before 10:00)."""
    from django.utils import timezone

    from core.fiscal import TOKYO, local_date
    from surveys.models import Invitation

    now = timezone.now().astimezone(TOKYO)
    day = local_date(now) if now.hour >= 10 else local_date(now) - dt.timedelta(days=1)
    Invitation.objects.update(
        created_at=now - dt.timedelta(days=2),
        expires_at=dt.datetime.combine(day + dt.timedelta(days=3), dt.time(23, 59), TOKYO),
    )


def state() -> None:
    from notifications.models import Dispatch

    rows = Dispatch.objects.order_by("kind", "recipient").values_list("kind", "recipient", "state")
    print(json.dumps([list(row) for row in rows]))


def enqueue(func: str, count: int) -> None:
    from django_q.tasks import async_task

    for _ in range(count):
        async_task(func)


def main(command: str, count: str = "1") -> None:
    django.setup()
    if command == "plan":
        enqueue("surveys.invitations.plan_due", int(count))
    elif command == "send":
        enqueue("notifications.tasks.send_due", int(count))
    else:
        {"seed": seed, "answer": answer, "shift": shift, "state": state}[command]()


if __name__ == "__main__":
    main(*sys.argv[1:])
