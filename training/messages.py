"""The emails training sends to registrants: what each says (Japanese templates, English when
the registrant chose English) and its calendar attachment.

Kinds: ``CONFIRM_EMAIL`` (the confirmation link of a web registration), ``CONFIRMED``
(.ics METHOD:REQUEST), ``WAITLISTED`` (with the position), ``PROMOTED`` (.ics REQUEST),
``CANCELLED`` (by the registrant or staff on their behalf; .ics METHOD:CANCEL),
``EVENT_UPDATED`` (time or place changed; .ics REQUEST with the higher SEQUENCE) and
``EVENT_CANCELLED`` (.ics METHOD:CANCEL). Every email carries the management link; none carries
the join link of an online lecture.

Services call ``send_after_commit``; the message is rendered and sent after the transaction
commits, from the registration as it is then (a message that is no longer true is not sent).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from training.calendar import event_ics
from training.models import Registration

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
WITH_REQUEST = {CONFIRMED, PROMOTED, EVENT_UPDATED}
WITH_CANCEL = {CANCELLED, EVENT_CANCELLED}


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


def deliver(kind: str, registration_id: int) -> bool:
    """Render and send one message now, if the registration still exists and it is still true.
    Returns whether it was sent."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or not still_true(kind, registration):
        return False
    render(kind, registration).send()
    return True


def send_after_commit(kind: str, registration: Registration) -> None:
    """Queue the message for after the current transaction commits."""
    if not registration.email:
        return
    transaction.on_commit(lambda: deliver(kind, registration.pk))


def sent_for_event(event) -> list:
    """The emails sent for an event, newest first (filled once sending is recorded)."""
    return []
