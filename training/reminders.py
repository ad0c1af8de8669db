"""The messages training sends through notifications: the immediate ones (below) and the
reminders it plans ahead.

Reminders
---------
- ``EVENT_REMINDER``: to each confirmed registrant with an email, some days before the event
  (default 3 and 1, at 10:00 Tokyo time; staff change the days per event in the outbox), with
  the event attached as .ics. For an online lecture it carries the registrant's personal join
  link (the application's redirect, so the meeting link can still change) — only here, never in
  anything shared.
- ``WAITLIST_CLOSED``: to each registrant still waitlisted at the automatic-promotion cut-off,
  telling them they did not get a seat.

``plan_event`` makes the pending rows match the event as it is now (a moved event moves its
reminders, a cancelled one withdraws them); ``plan_upcoming`` runs it for every event in the
planning horizon and is the scheduled job. At send time each message checks again that it is
still true (registration still confirmed or waitlisted, event not cancelled nor moved).

Immediate messages
------------------
The emails training sends to registrants, as message kinds of ``notifications``: what each
says (Japanese templates, English when the registrant chose English) and its calendar
attachment.

Kinds: ``CONFIRM_EMAIL`` (the confirmation link of a web registration), ``CONFIRMED``
(.ics METHOD:REQUEST), ``WAITLISTED`` (with the position), ``PROMOTED`` (.ics REQUEST),
``CANCELLED`` (by the registrant or staff on their behalf; .ics METHOD:CANCEL),
``EVENT_UPDATED`` (time or place changed; .ics REQUEST with the higher SEQUENCE),
``EVENT_CANCELLED`` (.ics METHOD:CANCEL) and ``ALREADY_REGISTERED`` (someone registered again
with the address: the status and the management link; the public is answered as for a new
registration). Every email carries the management link; none carries the join link of an
online lecture.

Services call ``notify`` inside their transaction: it plans one ``notifications`` Dispatch
(unique per kind, registration, address and moment, so a retried service sends nothing twice)
whose topic is the event, so staff see every email of an event in the outbox and on the
event's page. The worker renders it after the commit from the registration as it is then; a
message that is no longer true is not sent.
"""

import datetime as dt
import json
from collections.abc import Iterable
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.dates import when
from core.emails import build_email, email_message, fill_slots, mail_domain, render_email, slot
from core.fiscal import TOKYO, local_date
from core.qr import qr_png
from notifications.digest import DigestSection, register_section
from notifications.models import Dispatch, ReminderDays
from notifications.registry import MessageKind, register
from notifications.services import (
    MAX_DAYS_BEFORE,
    Planned,
    plan_messages,
    reminder_days,
    send_now,
)
from notifications.topics import topic_expression, topic_for
from training.calendar import event_ics
from training.models import Event, Registration

EVENT_REMINDER = "training.event_reminder"
WAITLIST_CLOSED = "training.waitlist_closed"
DEFAULT_REMINDER_DAYS = (3, 1)


def reminder_time() -> dt.time:
    """When trainee reminders go out, Tokyo time (TRAINING_REMINDER_TIME, default 10:00)."""
    return dt.time.fromisoformat(settings.TRAINING_REMINDER_TIME)


def reminder_moment(starts_at: dt.datetime, days_before: int) -> dt.datetime:
    """``reminder_time()`` (10:00) in Tokyo, ``days_before`` calendar days before the event's
    day."""
    day = local_date(starts_at) - dt.timedelta(days=days_before)
    return dt.datetime.combine(day, reminder_time(), TOKYO)


def reminder_moments(event: Event, days: tuple[int, ...]) -> list[dt.datetime]:
    """The moments of the event's reminders that fall before its start."""
    moments = {reminder_moment(event.starts_at, d) for d in days}
    return sorted(moment for moment in moments if moment < event.starts_at)


def cutoff_moment(event: Event) -> dt.datetime:
    return event.starts_at - event.promotion_cutoff


# --- immediate messages -------------------------------------------------------------------

CONFIRM_EMAIL = "training.confirm_email"
CONFIRMED = "training.confirmed"
WAITLISTED = "training.waitlisted"
PROMOTED = "training.promoted"
CANCELLED = "training.cancelled"
EVENT_UPDATED = "training.event_updated"
EVENT_CANCELLED = "training.event_cancelled"
ALREADY_REGISTERED = "training.already_registered"

TEMPLATES = {
    CONFIRM_EMAIL: "confirm_email",
    CONFIRMED: "confirmed",
    WAITLISTED: "waitlisted",
    PROMOTED: "promoted",
    CANCELLED: "cancelled",
    EVENT_UPDATED: "event_updated",
    EVENT_CANCELLED: "event_cancelled",
    ALREADY_REGISTERED: "already_registered",
}
LABELS = {
    CONFIRM_EMAIL: _("Training: confirmation link"),
    CONFIRMED: _("Training: registration confirmed"),
    WAITLISTED: _("Training: waitlisted"),
    PROMOTED: _("Training: promoted from the waitlist"),
    CANCELLED: _("Training: registration cancelled"),
    EVENT_UPDATED: _("Training: time or place changed"),
    EVENT_CANCELLED: _("Training: event cancelled"),
    ALREADY_REGISTERED: _("Training: already registered"),
}
WITH_REQUEST = {CONFIRMED, PROMOTED, EVENT_UPDATED}
WITH_CHECKIN_CODE = {CONFIRMED, PROMOTED}
WITH_CANCEL = {CANCELLED, EVENT_CANCELLED}
# A late confirmation link is still useful until it expires; news of a seat for two days.
GRACE = {CONFIRM_EMAIL: dt.timedelta(hours=47)}
DEFAULT_GRACE = dt.timedelta(days=2)


def message_still_true(kind: str, registration: Registration) -> bool:
    """Whether the message still describes the registration when it is sent."""
    status = registration.status
    if not registration.email:
        return False
    if kind == CONFIRM_EMAIL:
        return status == Registration.Status.PENDING
    if kind in (CONFIRMED, PROMOTED):
        return status == Registration.Status.CONFIRMED and not registration.event.is_cancelled
    if kind == WAITLISTED:
        return status == Registration.Status.WAITLISTED and not registration.event.is_cancelled
    if kind == CANCELLED:
        return status == Registration.Status.CANCELLED
    if kind == EVENT_UPDATED:
        return registration.is_active and not registration.event.is_cancelled
    if kind == EVENT_CANCELLED:
        return registration.event.is_cancelled
    if kind == ALREADY_REGISTERED:
        return registration.is_active
    return False


def render_message(kind: str, registration: Registration) -> EmailMessage:
    """The email in the registrant's language, with its .ics attachment where it has one."""
    event = registration.event
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "position": registration.position,
            "management_url": registration.management_url(),
            "confirmation_url": registration.confirmation_url() if kind == CONFIRM_EMAIL else "",
            "site_url": settings.SITE_URL,
            "checkin_code": registration.checkin_code if kind in WITH_CHECKIN_CODE else "",
        }
        message = build_email(f"training/email/{TEMPLATES[kind]}", context, to=[registration.email])
    if kind in WITH_REQUEST or kind in WITH_CANCEL:
        ics = event_ics(event, registration, cancel=kind in WITH_CANCEL)
        method = "CANCEL" if kind in WITH_CANCEL else "REQUEST"
        message.attach("event.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    if kind in WITH_CHECKIN_CODE:
        attach_checkin_code(message, registration)
    return message


CHECKIN_IMAGE = "checkin-qr.png"


def attach_checkin_code(message: EmailMessage, registration: Registration) -> None:
    """Add the registration's check-in QR code as an inline PNG part (Content-ID
    ``<checkin-qr@site>``, shown in the message by mail programs); the body carries its text."""
    image = MIMEImage(qr_png(registration.checkin_code), _subtype="png")
    image.add_header("Content-ID", f"<checkin-qr@{mail_domain()}>")
    image.add_header("Content-Disposition", "inline", filename=CHECKIN_IMAGE)
    message.attach(image)


def _message_still_true(kind: str):
    def check(dispatch) -> bool:
        registration = dispatch.obj
        return dispatch.recipient == registration.email and message_still_true(kind, registration)

    return check


def _message_render(kind: str):
    return lambda dispatch: render_message(kind, dispatch.obj)


def _register_immediate_kinds() -> None:
    """Make training's immediate messages known to notifications."""
    for kind in TEMPLATES:
        register(
            MessageKind(
                code=kind,
                label=LABELS[kind],
                render=_message_render(kind),
                still_true=_message_still_true(kind),
                grace=GRACE.get(kind, DEFAULT_GRACE),
                queryset=lambda: Registration.objects.select_related("event"),
            )
        )


def notify(kind: str, registration: Registration, *, at: dt.datetime) -> None:
    """Plan the message for now (``at`` is the moment of the change that causes it, which
    keeps it unique); it is sent once the caller's transaction commits. Registrations without
    an email (phone, fax) get none."""
    if not registration.email:
        return
    send_now(
        kind=kind,
        obj=registration,
        recipient=registration.email,
        language=registration.language,
        recipient_name=registration.name,
        topic=topic_for(Event(pk=registration.event_id)),
        due_at=at,
    )


def sent_for_event(event, user=None):
    """Every message about the event (immediate ones and reminders), newest first."""
    rows = Dispatch.objects.about(event)
    if user is not None:
        rows = rows.visible_to(user)
    return rows.order_by("-due_at", "-id")


# --- planning ---------------------------------------------------------------------------------


def _planned(registration: Registration, moment: dt.datetime) -> Planned:
    return Planned(registration.email, moment, registration.name, registration.language)


def plan_event(
    event: Event, *, now: dt.datetime | None = None, registrations: Iterable | None = None
) -> int:
    """Make the pending reminders and cut-off notices of one event match it as it is now:
    of every registration, or only of ``registrations`` when one person's place changed (what
    a registration, confirmation, promotion or cancellation does while it holds the event's
    lock: the others' plans are unchanged, so re-reading them would only hold the lock longer).
    A constant number of queries per event. Returns how many rows changed."""
    now = now or timezone.now()
    topic = topic_for(event)
    days = reminder_days(kind=EVENT_REMINDER, topics=[topic])[topic]
    live = event.status == Event.Status.PUBLISHED
    moments = reminder_moments(event, days)
    cutoff = cutoff_moment(event)
    reminders, notices = {}, {}
    for registration in event.registrations.all() if registrations is None else registrations:
        reminders[registration], notices[registration] = [], []
        if not (live and registration.email):
            continue
        if registration.status == Registration.Status.CONFIRMED:
            reminders[registration] = [_planned(registration, moment) for moment in moments]
        elif registration.status == Registration.Status.WAITLISTED:
            notices[registration] = [_planned(registration, cutoff)]
    return plan_messages(kind=EVENT_REMINDER, plans=reminders, topic=topic, now=now) + (
        plan_messages(kind=WAITLIST_CLOSED, plans=notices, topic=topic, now=now)
    )


def plan_upcoming(*, now: dt.datetime | None = None) -> str:
    """The scheduled job: plan every event that starts within the horizon or changed lately
    (so a cancelled or moved event withdraws or moves what it had planned)."""
    now = now or timezone.now()
    events = Event.objects.filter(
        Q(starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=MAX_DAYS_BEFORE + 1))
        | Q(updated_at__gte=now - dt.timedelta(days=1))
    )
    changed = sum(plan_event(event, now=now) for event in events)
    return f"planned training reminders: {changed} change(s)"


# --- at send time -----------------------------------------------------------------------------


def _registrations_with_days():
    """Registrations with their event and the staff's reminder days for it, in one query."""
    chosen = ReminderDays.objects.filter(
        kind=EVENT_REMINDER,
        topic=topic_expression(Event, OuterRef("event_id")),
    ).values("days")[:1]
    return Registration.objects.select_related("event").annotate(chosen_days=Subquery(chosen))


def _days_of(registration: Registration) -> tuple[int, ...]:
    chosen = getattr(registration, "chosen_days", None)
    if isinstance(chosen, str):  # some backends hand a JSON subquery back as text
        chosen = json.loads(chosen)
    return tuple(chosen) if chosen is not None else DEFAULT_REMINDER_DAYS


def reminder_still_true(dispatch) -> bool:
    registration = dispatch.obj
    event = registration.event
    return (
        registration.status == Registration.Status.CONFIRMED
        and event.status == Event.Status.PUBLISHED
        and dispatch.recipient == registration.email
        and dispatch.due_at in reminder_moments(event, _days_of(registration))
    )


def waitlist_closed_still_true(dispatch) -> bool:
    registration = dispatch.obj
    event = registration.event
    return (
        registration.status == Registration.Status.WAITLISTED
        and event.status == Event.Status.PUBLISHED
        and dispatch.recipient == registration.email
        and dispatch.due_at == cutoff_moment(event)
    )


def _context(registration: Registration) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "management_url": registration.management_url(),
        "site_url": settings.SITE_URL,
    }


class _EveryRegistrant:
    """The registration as the reminder's template sees it when rendered once for everyone at
    an event: the name is a slot, filled per message (tests/training check that the result is
    the same as rendering per registrant)."""

    name = slot("name")


def render_reminder(dispatch) -> EmailMessage:
    """The reminder with the event as .ics; for an online lecture the personal join link.

    What is the same for everyone at the event (subject, body, the .ics but the person's
    lines) is rendered once per batch (``dispatch.batch_memo``, set by the sender), the name
    and the links filled in per message."""
    registration = dispatch.obj
    event = registration.event
    memo = getattr(dispatch, "batch_memo", None)
    memo = {} if memo is None else memo
    days_left = (local_date(event.starts_at) - local_date(dispatch.due_at)).days
    key = ("training.reminder", event.pk, event.updated_at, translation.get_language(), days_left)
    if key not in memo:
        context = {
            "registration": _EveryRegistrant(),
            "event": event,
            "management_url": slot("management_url"),
            "site_url": settings.SITE_URL,
            "days_left": days_left,
            "join_url": slot("join_url") if event.is_online else "",
            "checkin_code": slot("checkin_code"),
        }
        memo[key] = render_email("training/email/reminder", context)
    subject, body = memo[key]
    values = {
        "name": registration.name,
        "management_url": registration.management_url(),
        "checkin_code": registration.checkin_code,
    }
    if event.is_online:
        values["join_url"] = settings.SITE_URL + reverse(
            "training:manage_join", args=[registration.management_token]
        )
    message = email_message(fill_slots(subject, values), fill_slots(body, values))
    message.attach(
        "event.ics",
        event_ics(event, registration, memo=memo),
        "text/calendar; charset=utf-8; method=REQUEST",
    )
    attach_checkin_code(message, registration)
    return message


def render_waitlist_closed(dispatch) -> EmailMessage:
    context = _context(dispatch.obj)
    return build_email("training/email/waitlist_closed", context)


def events_this_week(monday: dt.date, sunday: dt.date) -> list[str]:
    """The digest's lines: the week's events that are not cancelled, with their seats."""
    start = dt.datetime.combine(monday, dt.time(), TOKYO)
    end = dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(), TOKYO)
    events = (
        Event.objects.not_cancelled()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .with_counts()
        .order_by("starts_at", "id")
    )
    lines = []
    for event in events:
        seats = f"{event.confirmed_count}/{event.capacity}" if event.capacity else ""
        waiting = f" +{event.waitlisted_count}" if event.waitlisted_count else ""
        draft = f" [{event.get_status_display()}]" if event.status == Event.Status.DRAFT else ""
        lines.append(f"{when(event.starts_at)} {event}{draft} {seats}{waiting}".rstrip())
    return lines


def register_kinds() -> None:
    """Make training's messages and digest section known to notifications (AppConfig.ready)."""
    _register_immediate_kinds()
    register_section(
        DigestSection(
            code="training.events",
            order=10,
            title=_("Events this week (confirmed/capacity +waitlisted)"),
            lines=events_this_week,
        )
    )
    register(
        MessageKind(
            code=EVENT_REMINDER,
            label=_("Trainee reminder before an event"),
            render=render_reminder,
            still_true=reminder_still_true,
            grace=dt.timedelta(hours=6),
            queryset=_registrations_with_days,
            days_before=DEFAULT_REMINDER_DAYS,
            topic_model="training.event",
            topic_label=_("training events"),
            replan=plan_event,
        )
    )
    register(
        MessageKind(
            code=WAITLIST_CLOSED,
            label=_("Waitlisted trainee: no seat at the cut-off"),
            render=render_waitlist_closed,
            still_true=waitlist_closed_still_true,
            grace=dt.timedelta(hours=12),
            queryset=lambda: Registration.objects.select_related("event"),
        )
    )
