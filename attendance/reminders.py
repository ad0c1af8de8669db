"""The reminder attendance sends through notifications: a roster still open one working day
after its event (10:00 Tokyo) reminds the staff assigned to the event, or every center staff
member when nobody is assigned. Closing the roster before then withdraws it (checked again at
send time). Working days come from core.fiscal."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import when
from core.emails import build_email
from core.fiscal import TOKYO, add_working_days, fiscal_year_of, local_date
from directory.models import User
from notifications.digest import DigestSection, register_section
from notifications.registry import MessageKind, register
from notifications.services import Planned, plan_messages
from training.models import Event

ROSTER_OPEN = "attendance.roster_open"
REMINDER_TIME = dt.time(10, 0)


def reminder_moment(event: Event) -> dt.datetime:
    """10:00 Tokyo on the first working day after the event's (last) day."""
    return dt.datetime.combine(add_working_days(local_date(event.ends_at), 1), REMINDER_TIME, TOKYO)


def _roster_closed(event: Event) -> bool:
    roster = getattr(event, "roster", None)  # a missing roster raises an AttributeError
    return roster is not None and roster.is_closed


def _responsible(event: Event) -> list[User]:
    """The staff assigned to the event, else every active center staff member; with an email."""
    people = list(event.staff.all())
    if not people:
        people = list(User.objects.center_staff())
    return [person for person in people if person.email and person.is_active]


def plan_event(event: Event, *, now: dt.datetime | None = None) -> int:
    """Make the pending reminder of one event's roster match it as it is now."""
    due = event.status == Event.Status.PUBLISHED and not _roster_closed(event)
    moment = reminder_moment(event)
    planned = [Planned(p.email, moment, str(p)) for p in _responsible(event)] if due else []
    return plan_messages(kind=ROSTER_OPEN, plans={event: planned}, now=now)


def plan_recent(*, now: dt.datetime | None = None) -> str:
    """The scheduled job: plan the reminders of events that ended in the last week or end in
    the next two (a closed roster or a cancelled event withdraws its own)."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(
            ends_at__gte=now - dt.timedelta(days=7), ends_at__lte=now + dt.timedelta(days=14)
        )
        .select_related("roster")
        .prefetch_related("staff")
    )
    changed = sum(plan_event(event, now=now) for event in events)
    return f"planned roster reminders: {changed} change(s)"


def still_open(dispatch) -> bool:
    event = dispatch.obj
    return (
        event.status == Event.Status.PUBLISHED
        and not _roster_closed(event)
        and dispatch.due_at == reminder_moment(event)
    )


def render_roster_open(dispatch) -> EmailMessage:
    event = dispatch.obj
    context = {"event": event, "name": dispatch.recipient_name, "site_url": settings.SITE_URL}
    return build_email("attendance/email/roster_open", context)


def open_rosters(monday: dt.date, sunday: dt.date) -> list[str]:
    """The digest's lines: events of this fiscal year that are over and whose roster is still
    open (or was never started)."""
    start = dt.datetime.combine(monday, dt.time(), TOKYO)
    events = (
        Event.objects.published()
        .in_fiscal_year(fiscal_year_of(monday))
        .filter(ends_at__lt=start)
        .filter(Q(roster__isnull=True) | Q(roster__closed_at__isnull=True))
        .order_by("starts_at", "id")
    )
    return [f"{when(event.starts_at, 'date')} {event}" for event in events]


def register_kinds() -> None:
    register_section(
        DigestSection(
            code="attendance.open_rosters",
            order=30,
            title=_("Rosters still open"),
            lines=open_rosters,
        )
    )
    register(
        MessageKind(
            code=ROSTER_OPEN,
            label=_("Staff: roster still open after the event"),
            render=render_roster_open,
            still_true=still_open,
            grace=dt.timedelta(days=1),
            queryset=lambda: Event.objects.select_related("roster"),
        )
    )
