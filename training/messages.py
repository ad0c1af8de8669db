"""The emails training sends to registrants, as message kinds of ``notifications``: what each
says (Japanese templates, English when the registrant chose English) and its calendar
attachment.

Kinds: ``CONFIRM_EMAIL`` (the confirmation link of a web registration), ``CONFIRMED``
(.ics METHOD:REQUEST), ``WAITLISTED`` (with the position), ``PROMOTED`` (.ics REQUEST),
``CANCELLED`` (by the registrant or staff on their behalf; .ics METHOD:CANCEL),
``EVENT_UPDATED`` (time or place changed; .ics REQUEST with the higher SEQUENCE) and
``EVENT_CANCELLED`` (.ics METHOD:CANCEL). Every email carries the management link; none carries
the join link of an online lecture.

Services call ``notify`` inside their transaction: it plans one ``notifications`` Dispatch
(unique per kind, registration, address and moment, so a retried service sends nothing twice)
whose topic is the event, so staff see every email of an event in the outbox and on the
event's page. The worker renders it after the commit from the registration as it is then; a
message that is no longer true is not sent.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications.models import Dispatch, topic_for
from notifications.registry import MessageKind, register
from notifications.services import send_now
from training.calendar import event_ics
from training.models import Event, Registration

CONFIRM_EMAIL = "training.confirm_email"
CONFIRMED = "training.confirmed"
WAITLISTED = "training.waitlisted"
PROMOTED = "training.promoted"
CANCELLED = "training.cancelled"
EVENT_UPDATED = "training.event_updated"
EVENT_CANCELLED = "training.event_cancelled"

TEMPLATES = {
    CONFIRM_EMAIL: "confirm_email",
    CONFIRMED: "confirmed",
    WAITLISTED: "waitlisted",
    PROMOTED: "promoted",
    CANCELLED: "cancelled",
    EVENT_UPDATED: "event_updated",
    EVENT_CANCELLED: "event_cancelled",
}
LABELS = {
    CONFIRM_EMAIL: _("Training: confirmation link"),
    CONFIRMED: _("Training: registration confirmed"),
    WAITLISTED: _("Training: waitlisted"),
    PROMOTED: _("Training: promoted from the waitlist"),
    CANCELLED: _("Training: registration cancelled"),
    EVENT_UPDATED: _("Training: time or place changed"),
    EVENT_CANCELLED: _("Training: event cancelled"),
}
WITH_REQUEST = {CONFIRMED, PROMOTED, EVENT_UPDATED}
WITH_CANCEL = {CANCELLED, EVENT_CANCELLED}
# A late confirmation link is still useful until it expires; news of a seat for two days.
GRACE = {CONFIRM_EMAIL: dt.timedelta(hours=47)}
DEFAULT_GRACE = dt.timedelta(days=2)


def still_true(kind: str, registration: Registration) -> bool:
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
    return False


def render(kind: str, registration: Registration) -> EmailMessage:
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
        }
        name = TEMPLATES[kind]
        subject = render_to_string(f"training/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"training/email/{name}.txt", context)
    message = EmailMessage(subject=" ".join(subject.split()), body=body, to=[registration.email])
    if kind in WITH_REQUEST or kind in WITH_CANCEL:
        ics = event_ics(event, registration, cancel=kind in WITH_CANCEL)
        method = "CANCEL" if kind in WITH_CANCEL else "REQUEST"
        message.attach("event.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    return message


def _still_true(kind: str):
    def check(dispatch) -> bool:
        registration = dispatch.obj
        return dispatch.recipient == registration.email and still_true(kind, registration)

    return check


def _render(kind: str):
    return lambda dispatch: render(kind, dispatch.obj)


def register_kinds() -> None:
    """Make training's immediate messages known to notifications (from AppConfig.ready)."""
    for kind in TEMPLATES:
        register(
            MessageKind(
                code=kind,
                label=LABELS[kind],
                render=_render(kind),
                still_true=_still_true(kind),
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
