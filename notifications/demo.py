"""Demo part of notifications: this week's digest for the demo's center staff, due at once, so
that the job worker started by ``bin/run`` sends it into var/mail within a minute (together
with the confirmations, visit notices and reminders the other apps' demo data plans).
Running it again in the same week changes nothing."""

import datetime as dt

from django.utils import timezone

from core.fiscal import TOKYO, local_date
from notifications.digest import WEEKLY_DIGEST, recipients, week_of
from notifications.models import Dispatch
from notifications.services import schedule_message


def load(stdout=None) -> str:
    now = timezone.now().replace(second=0, microsecond=0)
    monday, _sunday = week_of(local_date(now))
    start = dt.datetime.combine(monday, dt.time(), TOKYO)
    planned = 0
    for person in recipients():
        this_week = Dispatch.objects.for_object(person).filter(
            kind=WEEKLY_DIGEST, due_at__gte=start - dt.timedelta(days=1)
        )
        if this_week.filter(due_at__lte=now).exists():
            continue
        schedule_message(
            kind=WEEKLY_DIGEST,
            obj=person,
            recipient=person.email,
            recipient_name=str(person),
            due_at=now,
        )
        planned += 1
    due = Dispatch.objects.due(timezone.now() + dt.timedelta(minutes=1)).count()
    return f"{planned} weekly digest(s) planned; {due} message(s) due for the job worker"
