"""The messages supervision sends through notifications.

- ``VISIT_NOTICE``: to the contacts (directory.Contact, those who receive notifications) of the
  visited municipality, district or organization, when a visit to them is scheduled, moved or
  cancelled. Sent at once; a notice overtaken by a newer change before it went out is dropped
  (its ``version`` is the visit's ``sequence``), so they hear about the latest state once.
- ``VISIT_REMINDER``: to the same contacts, the working day before the visit at 09:00.
- ``STAFF_VISIT_REMINDER``: to the center staff assigned to the visit, the working day before
  at 09:00.

Working days come from core.fiscal (weekends, national holidays, 12/29-1/3). What goes to
contacts is the visit's date, time, place, kind and the center's contact: never the
confidential notes, and not the public summary either (it is written after the visit).
"""

import datetime as dt

from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import audit
from core.dates import when
from core.emails import build_email
from core.fiscal import TOKYO, fiscal_year_of, previous_working_day
from notifications.digest import DigestSection, register_section
from notifications.registry import MessageKind, register
from notifications.services import Planned, plan_messages, send_now
from notifications.topics import topic_for
from supervision.models import Visit
from supervision.queries import liaison_cadence, progress

VISIT_NOTICE = "supervision.visit_notice"
VISIT_REMINDER = "supervision.visit_reminder"
STAFF_VISIT_REMINDER = "supervision.staff_visit_reminder"
REMINDER_TIME = dt.time(9, 0)
PLANNING_HORIZON = dt.timedelta(days=21)


def reminder_moment(visit: Visit) -> dt.datetime:
    """09:00 Tokyo on the working day before the visit's day."""
    return dt.datetime.combine(previous_working_day(visit.date), REMINDER_TIME, TOKYO)


def _contacts(visit: Visit) -> list:
    """The target's contacts who receive notifications and have an address."""
    subject = visit.target.subject
    return [
        contact
        for contact in subject.contacts.all()
        if contact.receives_notifications and contact.email
    ]


def _staff(visit: Visit) -> list:
    return [user for user in visit.staff.all() if user.email and user.is_active]


# --- planning ---------------------------------------------------------------------------------


def visit_changed(visit: Visit) -> None:
    """Called by the services that schedule, move or cancel a visit (in their transaction):
    tell the contacts after commit (about visits still ahead) and replan the reminders of the
    day before."""
    ahead = visit.ends_at > timezone.now()
    for contact in _contacts(visit) if ahead else []:
        send_now(
            kind=VISIT_NOTICE,
            obj=visit,
            recipient=contact.email,
            recipient_name=contact.name,
            version=visit.sequence,
        )
    plan_visit(visit)


def plan_visit(visit: Visit, *, now: dt.datetime | None = None) -> int:
    """Make the pending day-before reminders of one visit match it as it is now."""
    moment = reminder_moment(visit)
    open_ = visit.is_open
    contacts = [Planned(c.email, moment, c.name) for c in _contacts(visit)] if open_ else []
    staff = [Planned(u.email, moment, str(u)) for u in _staff(visit)] if open_ else []
    topic = topic_for(visit)
    return plan_messages(
        kind=VISIT_REMINDER, plans={visit: contacts}, topic=topic, now=now
    ) + plan_messages(kind=STAFF_VISIT_REMINDER, plans={visit: staff}, topic=topic, now=now)


def _visits_with_people():
    return Visit.objects.with_target().prefetch_related(
        "staff",
        "target__municipality__contacts",
        "target__district__contacts",
        "target__organization__contacts",
    )


def plan_upcoming(*, now: dt.datetime | None = None) -> str:
    """The scheduled job: plan the reminders of every visit in the next three weeks and of every
    visit changed in the last day (a cancelled or moved one withdraws or moves its own)."""
    now = now or timezone.now()
    visits = _visits_with_people().filter(
        Q(starts_at__gt=now, starts_at__lte=now + PLANNING_HORIZON)
        | Q(updated_at__gte=now - dt.timedelta(days=1))
    )
    changed = sum(plan_visit(visit, now=now) for visit in visits)
    return f"planned visit reminders: {changed} change(s)"


# --- at send time -----------------------------------------------------------------------------


def _addressed(dispatch, people) -> bool:
    return any(person.email == dispatch.recipient for person in people)


def notice_still_true(dispatch) -> bool:
    visit = dispatch.obj
    return dispatch.version == visit.sequence and _addressed(dispatch, _contacts(visit))


def reminder_still_true(dispatch) -> bool:
    visit = dispatch.obj
    return (
        visit.is_open
        and dispatch.due_at == reminder_moment(visit)
        and _addressed(dispatch, _contacts(visit))
    )


def staff_reminder_still_true(dispatch) -> bool:
    visit = dispatch.obj
    return (
        visit.is_open
        and dispatch.due_at == reminder_moment(visit)
        and _addressed(dispatch, _staff(visit))
    )


def _render(template: str, dispatch, **extra) -> EmailMessage:
    visit = dispatch.obj
    context = {"visit": visit, "name": dispatch.recipient_name, **extra}
    return build_email(f"supervision/email/{template}", context)


def notice_change(visit: Visit) -> str:
    """What a notice about the visit as it is now tells: scheduled, changed, cancelled, or
    restored (its cancellation undone by ``reopen_visit`` and nothing changed since, so the
    contacts who were told 「中止」 hear that it takes place after all)."""
    if visit.status == Visit.Status.CANCELLED:
        return "cancelled"
    if not visit.sequence:
        return "scheduled"
    last = audit.history(visit).first()
    if (
        last is not None
        and last.action == "supervision.visit.reopened"
        and last.changes.get("status", [None])[0] == Visit.Status.CANCELLED
    ):
        return "restored"
    return "changed"


def render_notice(dispatch) -> EmailMessage:
    return _render("visit_notice", dispatch, change=notice_change(dispatch.obj))


def render_reminder(dispatch) -> EmailMessage:
    return _render("visit_reminder", dispatch)


def render_staff_reminder(dispatch) -> EmailMessage:
    return _render("staff_visit_reminder", dispatch)


def _week_bounds(monday: dt.date, sunday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(monday, dt.time(), TOKYO)
    return start, dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(), TOKYO)


def visits_this_week(monday: dt.date, sunday: dt.date) -> list[str]:
    """The digest's lines: the week's visits still to happen, with who goes."""
    start, end = _week_bounds(monday, sunday)
    visits = (
        Visit.objects.open()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .with_target()
        .prefetch_related("staff")
        .order_by("starts_at", "id")
    )
    lines = []
    for visit in visits:
        staff = "、".join(str(person) for person in visit.staff.all())
        place = f" @ {visit.place}" if visit.place else ""
        lines.append(
            f"{when(visit.starts_at)} {visit.target} {visit.get_kind_display()}{place} ({staff})"
        )
    return lines


def targets_at_risk(monday: dt.date, sunday: dt.date) -> list[str]:
    """The digest's lines: targets whose visits fall behind the year's plan."""
    fiscal_year = fiscal_year_of(monday)
    return [
        f"{row.name} {row.done}/{row.planned} (+{row.scheduled})"
        for row in progress(fiscal_year=fiscal_year, as_of=monday - dt.timedelta(days=1))
        if row.at_risk
    ]


def blocks_without_second_meeting(monday: dt.date, sunday: dt.date) -> list[str]:
    """The digest's lines: blocks flagged for lacking their second liaison meeting."""
    cadence = liaison_cadence(fiscal_year=fiscal_year_of(monday), as_of=monday)
    return [
        f"{row.block} {row.held_count}/{row.expected} (+{row.scheduled_count})"
        for row in cadence
        if row.flagged
    ]


def register_kinds() -> None:
    register_section(
        DigestSection(
            code="supervision.visits",
            order=20,
            title=_("Visits this week"),
            lines=visits_this_week,
        )
    )
    register_section(
        DigestSection(
            code="supervision.at_risk",
            order=40,
            title=_("Targets at risk (done/planned +scheduled)"),
            lines=targets_at_risk,
        )
    )
    register_section(
        DigestSection(
            code="supervision.blocks",
            order=50,
            title=_("Blocks without a second liaison meeting (held/expected +scheduled)"),
            lines=blocks_without_second_meeting,
        )
    )
    register(
        MessageKind(
            code=VISIT_NOTICE,
            label=_("Contacts: a visit scheduled, changed or cancelled"),
            render=render_notice,
            still_true=notice_still_true,
            grace=dt.timedelta(days=2),
            queryset=_visits_with_people,
        )
    )
    register(
        MessageKind(
            code=VISIT_REMINDER,
            label=_("Contacts: reminder the working day before a visit"),
            render=render_reminder,
            still_true=reminder_still_true,
            grace=dt.timedelta(hours=8),
            queryset=_visits_with_people,
        )
    )
    register(
        MessageKind(
            code=STAFF_VISIT_REMINDER,
            label=_("Staff: reminder the working day before a visit"),
            render=render_staff_reminder,
            still_true=staff_reminder_still_true,
            grace=dt.timedelta(hours=8),
            queryset=_visits_with_people,
        )
    )
