"""Use cases that change registrations: register, confirm, cancel, promote.

Seats are decided while the event's row is locked (``select_for_update``; on SQLite the
settings' IMMEDIATE transactions serialize writers), so concurrent registrations and
cancellations can never overbook: the confirmed count never exceeds the capacity, and the
waitlist is ordered by ``waitlisted_at`` then id, so positions are 1..n without gaps. A new
place's ``waitlisted_at`` is taken under that lock and is later than every place already given
(``_queue_time``): the queue is the order in which places were decided, so nobody's told
position gets worse unless staff move someone.

Rules where the issue is silent (also in docs/apps.md, "Training"):

- A web registration holds no seat until its email link is followed; the seat (or the waitlist
  place) is decided at confirmation. Staff registrations (phone, fax) are placed at once.
- Newcomers are waitlisted while anyone is waiting, even if a seat is free after the automatic
  promotion cut-off: the queue is not jumped.
- Staff may enter a registration outside the public window, until the event ends.
- Staff may promote any waitlisted person (not only the first) when a seat is free; never beyond
  the capacity.

Emails are sent after the commit (``training.reminders``).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, vocabulary
from core.errors import Conflict, RateLimited
from core.tokens import hash_token
from directory.models import Municipality
from notifications.models import Dispatch
from training import reminders
from training.models import (
    Event,
    Registration,
)
from training.services.common import lock_event

# What the audit trail keeps of a registration (never a token, its hash or the nonce).
REGISTRATION_AUDIT_FIELDS = (
    "status",
    "name",
    "kana",
    "email",
    "phone",
    "affiliation_type",
    "organization",
    "municipality",
    "job_title",
    "language",
    "source",
)

audit.register_actions(
    {
        "training.registration.created": gettext_lazy("Registered"),
        "training.registration.confirmed": gettext_lazy(
            "Confirmed the registration by the email link"
        ),
        "training.registration.cancelled": gettext_lazy("Cancelled the registration"),
        "training.registration.promoted": gettext_lazy("Moved up from the waitlist"),
    }
)


def _record_registration(registration, action: str, *, by, before: dict, **data) -> None:
    """Record ``action`` with the fields of ``before`` (all audited fields for a new one)."""
    after = audit.snapshot(registration, before.keys() or REGISTRATION_AUDIT_FIELDS)
    audit.record(registration, action, by=by, changes=audit.diff(before, after), **data)


# --- registrations -----------------------------------------------------------------------------


def _clean_registration_fields(*, name, email, phone, affiliation_type, municipality_id, language):
    errors = {}
    if not name.strip():
        errors["name"] = _("Please enter your name.")
    if not email and not phone:
        errors["email"] = _("Please enter an email address or a phone number.")
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if not vocabulary.is_affiliation_kind(affiliation_type):
        errors["affiliation_type"] = _("Choose an affiliation type.")
    municipality = None
    if municipality_id is not None:
        municipality = Municipality.objects.filter(pk=municipality_id).first()
        if municipality is None:
            errors["municipality"] = _("Unknown municipality.")
    if language not in Registration.Language.values:
        errors["language"] = _("Unknown language.")
    if errors:
        raise ValidationError(errors)
    return municipality


def _duplicate_message():
    return _(
        "This email address is already registered for this event. Use the link in the email "
        "you received to see or cancel your registration."
    )


def _place(registration: Registration, event: Event, *, now: dt.datetime) -> None:
    """Give the registration a seat if one is free and nobody is waiting, else a waitlist place.
    The caller holds the event's lock."""
    waiting = event.registrations.waitlisted().exists()
    confirmed = event.registrations.confirmed().count()
    if event.capacity is None or (confirmed < event.capacity and not waiting):
        registration.change_status(Registration.Status.CONFIRMED, at=now)
    else:
        registration.change_status(Registration.Status.WAITLISTED, at=_queue_time(event, now=now))


def _queue_time(event: Event, *, now: dt.datetime) -> dt.datetime:
    """The waitlist time of a place decided now, under the event's lock: never before the last
    place given (the caller's ``now`` was taken before the lock, and web servers' clocks
    differ), so the queue is in the order places were decided and a told position can only get
    better (someone ahead leaves or is promoted) unless staff move someone."""
    last = event.registrations.waitlisted().aggregate(last=Max("waitlisted_at"))["last"]
    if last is not None and last >= now:
        return last + dt.timedelta(microseconds=1)
    return now


@transaction.atomic
def register_trainee(
    *,
    event: Event,
    name: str,
    kana: str = "",
    email: str = "",
    phone: str = "",
    affiliation_type: str,
    organization: str = "",
    municipality_id: int | None = None,
    job_title: str = "",
    language: str = "ja",
    source: str = Registration.Source.WEB,
    by=None,
    now: dt.datetime | None = None,
) -> Registration:
    """Register someone. A web registration (``by`` None) needs an email, must fall inside the
    registration window, and waits for its emailed confirmation link. A registration entered by
    staff (``by`` a staff user; phone or fax, email optional) is confirmed or waitlisted at once
    and the registrant is emailed when there is an address. Raises ValidationError (422) for bad
    input or (staff only) a duplicate email; nothing is written then. A web registration for an
    address that already holds an active one writes nothing, emails that person (their
    management link, or the confirmation link again) and returns the existing registration:
    callers answer the public as for a new one. RateLimited once an address has had
    CONFIRMATION_EMAILS_PER_ADDRESS such emails in a day."""
    now = now or timezone.now()
    email = email.strip().lower()
    municipality = _clean_registration_fields(
        name=name,
        email=email,
        phone=phone,
        affiliation_type=affiliation_type,
        municipality_id=municipality_id,
        language=language,
    )
    by_staff = by is not None
    if not by_staff and not email:
        raise ValidationError({"email": _("Please enter your email address.")})
    if source not in Registration.Source.values or (not by_staff and source != "web"):
        raise ValidationError({"source": _("Unknown source.")})
    locked = lock_event(event.pk)
    _check_taking_registrations(locked, by_staff=by_staff, now=now)
    existing = _already_registered(locked, email, by=by, now=now)
    if existing is not None:
        return existing
    if not by_staff:
        _limit_emails_to(email, now=now)
    registration = Registration(
        event=locked,
        name=name.strip(),
        kana=kana.strip(),
        email=email,
        phone=phone.strip(),
        affiliation_type=affiliation_type,
        organization=organization.strip(),
        municipality=municipality,
        job_title=job_title.strip(),
        language=language,
        source=source,
        created_by=by,
        created_at=now,
        # The person's calendar entry for this event goes on from an earlier registration.
        sequence=_next_sequence(locked, email),
    )
    _save_new_registration(registration, locked, by=by, now=now)
    return registration


def _check_taking_registrations(event: Event, *, by_staff: bool, now: dt.datetime) -> None:
    """Staff register people for a published event until it ends; the public only inside the
    registration window."""
    if event.is_cancelled:
        raise ValidationError({"event": _("This event has been cancelled.")})
    if by_staff:
        if event.status != Event.Status.PUBLISHED or now >= event.ends_at:
            raise ValidationError({"event": _("This event does not take registrations.")})
    elif not event.registration_is_open(now):
        raise ValidationError({"event": _("Registration for this event is not open.")})


def _already_registered(event: Event, email: str, *, by, now: dt.datetime) -> Registration | None:
    """The active registration the address already holds, when the public registers it again
    (after emailing its owner); None when a new registration may be made. An unconfirmed one
    whose link expired gives way; staff get a ValidationError for a duplicate."""
    existing = event.registrations.active().filter(email=email).first() if email else None
    if existing is None:
        return None
    if (
        existing.status == Registration.Status.PENDING
        and existing.confirmation_expires_at
        and existing.confirmation_expires_at <= now
    ):
        expired = audit.snapshot(existing, ("status",))
        fields = existing.change_status(Registration.Status.CANCELLED, at=now)
        existing.confirmation_token_hash = None
        existing.save(update_fields=[*fields, "confirmation_token_hash"])
        _record_registration(
            existing,
            "training.registration.cancelled",
            by=by or audit.PUBLIC,
            before=expired,
            reason=_("The confirmation link expired and the person registered again."),
        )
        return None
    if by is not None:
        raise ValidationError({"email": _duplicate_message()}, code="duplicate")
    # No enumeration: the public gets the answer a new registration gets, and only the
    # address's owner learns, by email, that they are already registered.
    _limit_emails_to(email, now=now)
    _tell_already_registered(existing, now=now)
    return existing


def _save_new_registration(
    registration: Registration, event: Event, *, by, now: dt.datetime
) -> None:
    """Save it (confirmed or waitlisted at once when staff enter it, else waiting for its
    confirmation link) and send what it needs. ``by``: the staff member, None for the public."""
    by_staff = by is not None
    registration.set_secrets(needs_confirmation=not by_staff, now=now)
    if by_staff:
        _place(registration, event, now=now)
    else:
        registration.status = Registration.Status.PENDING
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise ValidationError({"email": _duplicate_message()}, code="duplicate") from exc
    _record_registration(
        registration, "training.registration.created", by=by or audit.PUBLIC, before={}
    )
    if registration.status == Registration.Status.PENDING:
        reminders.notify(reminders.CONFIRM_EMAIL, registration, at=now)
    else:
        reminders.notify(_placed_message(registration), registration, at=now)
        reminders.plan_event(event, now=now, registrations=[registration])


def _limit_emails_to(email: str, *, now: dt.datetime) -> None:
    """At most CONFIRMATION_EMAILS_PER_ADDRESS confirmation (or already-registered) emails to
    one address in a day, whoever asks: RateLimited after that. Known and unknown addresses
    count alike."""
    window = dt.timedelta(days=1)
    sent = list(
        Dispatch.objects.filter(
            recipient=email,
            kind__in=[reminders.CONFIRM_EMAIL, reminders.ALREADY_REGISTERED],
            due_at__gt=now - window,
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
    )
    limit = settings.CONFIRMATION_EMAILS_PER_ADDRESS
    if len(sent) >= limit:
        oldest = sent[len(sent) - limit]
        raise RateLimited(retry_after=int((oldest + window - now).total_seconds()))


def _tell_already_registered(registration: Registration, *, now: dt.datetime) -> None:
    """An unconfirmed registration gets its confirmation link again; a placed one the
    already-registered email with its management link."""
    if registration.status == Registration.Status.PENDING:
        reminders.notify(reminders.CONFIRM_EMAIL, registration, at=now)
    else:
        reminders.notify(reminders.ALREADY_REGISTERED, registration, at=now)


def _next_sequence(event: Event, email: str) -> int:
    """Above the SEQUENCE of the person's earlier registrations for the event, if any."""
    if not email:
        return 0
    last = event.registrations.filter(email=email).aggregate(last=Max("sequence"))["last"]
    return 0 if last is None else last + 1


def _placed_message(registration: Registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return reminders.CONFIRMED
    return reminders.WAITLISTED


def find_by_confirmation_token(raw: str) -> Registration | None:
    return (
        Registration.objects.select_related("event")
        .filter(confirmation_token_hash=hash_token(raw))
        .first()
    )


@transaction.atomic
def confirm_registration(*, token: str, now: dt.datetime | None = None) -> Registration:
    """Follow the emailed link: the registration gets a seat or a waitlist place, and is told so.
    A used, unknown or expired link, or a cancelled event, is a ValidationError."""
    now = now or timezone.now()
    found = find_by_confirmation_token(token)
    if found is None:
        raise ValidationError(
            {"token": _("This confirmation link is invalid or has already been used.")}
        )
    locked_event = lock_event(found.event_id)
    registration = Registration.objects.select_for_update().get(pk=found.pk)
    if (
        registration.status != Registration.Status.PENDING
        or not registration.confirmation_token_hash
    ):
        raise ValidationError(
            {"token": _("This confirmation link is invalid or has already been used.")}
        )
    if registration.confirmation_expires_at <= now:
        raise ValidationError(
            {"token": _("This confirmation link has expired. Please register again.")}
        )
    if locked_event.is_cancelled:
        raise ValidationError({"event": _("This event has been cancelled.")})
    if now >= locked_event.starts_at:
        raise ValidationError({"event": _("Registration for this event is not open.")})
    before = audit.snapshot(registration, ("status",))
    _place(registration, locked_event, now=now)
    registration.confirmation_token_hash = None
    registration.save()
    _record_registration(
        registration, "training.registration.confirmed", by=audit.PUBLIC, before=before
    )
    reminders.notify(_placed_message(registration), registration, at=now)
    reminders.plan_event(locked_event, now=now, registrations=[registration])
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, by=None, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration (by the registrant through their link, or by staff on their behalf).
    A freed seat goes to the first waitlisted person before the event's cut-off; they are
    emailed. The registrant is emailed that the cancellation is done."""
    now = now or timezone.now()
    event = lock_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise Conflict(_("This registration is already cancelled."), code="already_cancelled")
    if now >= event.ends_at:
        raise ValidationError({"event": _("This event is over.")})
    was_notified = registration.status != Registration.Status.PENDING
    before = audit.snapshot(registration, ("status",))
    fields = registration.change_status(Registration.Status.CANCELLED, at=now)
    registration.confirmation_token_hash = None
    registration.save(update_fields=[*fields, "confirmation_token_hash"])
    _record_registration(
        registration, "training.registration.cancelled", by=by or audit.PUBLIC, before=before
    )
    if not event.is_cancelled:
        fill_free_seats(event, now=now)
    if was_notified:
        reminders.notify(reminders.CANCELLED, registration, at=now)
    return registration


def fill_free_seats(event: Event, *, now: dt.datetime) -> list[Registration]:
    """Promote waitlisted people in order while seats are free, if the cut-off has not passed.
    The caller holds the event's lock."""
    if event.status != Event.Status.PUBLISHED or not event.promotes_automatically(now):
        return []
    confirmed = event.registrations.confirmed().count()
    free = None if event.capacity is None else event.capacity - confirmed
    queue = event.registrations.in_waitlist_order()
    if free is not None:
        queue = queue[: max(free, 0)]
    promoted = list(queue)
    for registration in promoted:
        _confirm_from_waitlist(registration, now=now)
    if promoted:
        reminders.plan_event(event, now=now, registrations=promoted)
    return promoted


def _confirm_from_waitlist(registration: Registration, *, now: dt.datetime, by=None) -> None:
    """Give a waitlisted person their seat; ``by`` None: promoted automatically."""
    before = audit.snapshot(registration, ("status",))
    registration.save(
        update_fields=registration.change_status(Registration.Status.CONFIRMED, at=now)
    )
    _record_registration(registration, "training.registration.promoted", by=by, before=before)
    reminders.notify(reminders.PROMOTED, registration, at=now)


@transaction.atomic
def promote_registration(
    *, registration: Registration, by, now: dt.datetime | None = None
) -> Registration:
    """Staff give a waitlisted person a free seat (after the cut-off, or out of order). Never
    beyond the capacity: a full event is a Conflict."""
    now = now or timezone.now()
    event = lock_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.WAITLISTED:
        raise Conflict(_("Only a waitlisted registration can be promoted."), code="not_waitlisted")
    if event.is_cancelled:
        raise ValidationError({"event": _("This event has been cancelled.")})
    confirmed = event.registrations.confirmed().count()
    if event.capacity is not None and confirmed >= event.capacity:
        raise Conflict(_("No seat is free."), code="full")
    _confirm_from_waitlist(registration, now=now, by=by)
    reminders.plan_event(event, now=now, registrations=[registration])
    return registration
