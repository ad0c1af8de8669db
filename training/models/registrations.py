"""Registrations: a person's place at an event (see the package docstring)."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.constraints import length_at_most
from core.inputs import BoundedRow
from core.tokens import hash_token, new_token
from core.vocabulary import affiliation_label
from directory.permissions import is_center_staff
from training.models.events import (
    CONFIRMATION_VALIDITY,
    JOIN_OPENS_BEFORE,
    Event,
)
from training.models.people import PersonFields, person_constraints

CHECKIN_PREFIX = "SASAERU1-"


def checkin_code_for(nonce: str, round_: int) -> str:
    """``SASAERU1-`` and 32 upper-case hex digits (QR alphanumeric mode keeps the code small)."""
    digest = salted_hmac("training.registration/checkin", f"{nonce}:{round_}").hexdigest()
    return CHECKIN_PREFIX + digest[:32].upper()


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Not cancelled (pending, confirmed or waitlisted)."""
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def pending(self):
        return self.filter(status=Registration.Status.PENDING)

    def in_waitlist_order(self):
        return self.waitlisted().order_by("waitlisted_at", "id")

    def with_position(self):
        """Annotate ``waitlist_position`` (1, 2, ... per event, in queue order) on waitlisted rows
        and None on the others, in the same query."""
        return self.annotate(
            _rank=Window(
                RowNumber(),
                partition_by=[F("event_id"), F("status")],
                order_by=[F("waitlisted_at").asc(nulls_last=True), F("id").asc()],
            )
        )

    def for_checkin_code(self, code: str):
        return self.filter(checkin_hash=hash_token(code.strip()))

    def for_token(self, raw: str):
        return self.filter(management_token_hash=hash_token(raw))

    def visible_to(self, user):
        """Registrations are personal data: center staff and staff assigned see them; other
        staff roles see none (they see events, not who registered)."""
        return self if is_center_staff(user) else self.none()


class Registration(BoundedRow, PersonFields):
    """A person's place at an event, made on the web (confirmed through an emailed link) or
    entered by staff from a phone call or a fax (confirmed or waitlisted at once)."""

    class Status(models.TextChoices):
        PENDING = "pending_confirmation", _("waiting for email confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    class Source(models.TextChoices):
        WEB = "web", _("web")
        PHONE = "phone", pgettext_lazy("received by", "phone")
        FAX = "fax", _("fax")
        STAFF = "staff", _("entered by staff")

    class Language(models.TextChoices):
        JAPANESE = "ja", "日本語"
        ENGLISH = "en", "English"

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    # name, kana, email and the affiliation: PersonFields (training.models.people)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.JAPANESE
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=25, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    waitlisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    secret_nonce = models.CharField(max_length=43, editable=False)
    management_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    confirmation_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    confirmation_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The check-in code (QR at the door) is an HMAC of ``secret_nonce`` and ``checkin_round``;
    # only its SHA-256 is stored (looked up when scanned). Restoring a cancelled registration
    # raises the round, so a code from before the cancellation no longer checks anyone in.
    checkin_round = models.PositiveIntegerField(default=0, editable=False)
    checkin_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Added to the event's SEQUENCE in the person's calendar entry; raised by every change of
    # state (change_status), so the entry's SEQUENCE never goes down.
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(
                name="registration_waitlisted_has_time",
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
            ),
            *person_constraints("registration"),
            length_at_most("registration", "phone", 30),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} ({self.event})"

    def get_affiliation_type_display(self) -> str:
        """As this center calls the kind, a kind of its own included (core.vocabulary)."""
        return affiliation_label(self.affiliation_type)

    # --- calendar --------------------------------------------------------------------------

    @property
    def ical_uid(self) -> str:
        """One calendar entry per person and event: the emailed .ics and the person's feed share
        it, and registering again after a cancellation keeps it."""
        if self.email:
            person = hashlib.sha256(self.email.strip().lower().encode()).hexdigest()[:16]
            return f"registration-{self.event_id}-{person}@sasaeru"
        return f"registration-{self.pk}@sasaeru"

    @property
    def ical_sequence(self) -> int:
        """The SEQUENCE of the person's entry: the event's changes plus the registration's."""
        return self.event.sequence + self.sequence

    STATUS_TIMES = {
        "confirmed": "confirmed_at",
        "waitlisted": "waitlisted_at",
        "cancelled": "cancelled_at",
    }

    def change_status(self, status: str, *, at: dt.datetime) -> list[str]:
        """Set the state and the time it was reached, and raise ``sequence``; answers the
        fields to save."""
        fields = ["status", "sequence"]
        if self.status == self.Status.CANCELLED and status != self.Status.CANCELLED:
            self.checkin_round += 1
            self.checkin_hash = hash_token(self.checkin_code)
            fields += ["checkin_round", "checkin_hash"]
        self.status = status
        self.sequence += 1
        stamp = self.STATUS_TIMES.get(status)
        if stamp:
            setattr(self, stamp, at)
            fields.append(stamp)
        return fields

    # --- secrets ---------------------------------------------------------------------------

    @staticmethod
    def new_nonce() -> str:
        return new_token()

    def _derive(self, purpose: str) -> str:
        return salted_hmac(f"training.registration.{purpose}", self.secret_nonce).hexdigest()[:40]

    @property
    def management_token(self) -> str:
        """The raw token of the management link (derived; only its hash is stored)."""
        return self._derive("manage")

    @property
    def confirmation_token(self) -> str:
        return self._derive("confirm")

    @property
    def checkin_code(self) -> str:
        """The text of the QR code shown at the door: good for checking in to this event only
        (derived, so emails and pages can render it again; only its hash is stored)."""
        return checkin_code_for(self.secret_nonce, self.checkin_round)

    def set_secrets(self, *, needs_confirmation: bool, now: dt.datetime) -> None:
        self.secret_nonce = self.new_nonce()
        self.management_token_hash = hash_token(self.management_token)
        self.checkin_hash = hash_token(self.checkin_code)
        if needs_confirmation:
            self.confirmation_token_hash = hash_token(self.confirmation_token)
            self.confirmation_expires_at = now + CONFIRMATION_VALIDITY

    def management_url(self) -> str:
        return settings.SITE_URL + reverse("training:manage", args=[self.management_token])

    def confirmation_url(self) -> str:
        return settings.SITE_URL + reverse("training:confirm", args=[self.confirmation_token])

    # --- facts -----------------------------------------------------------------------------

    @property
    def position(self) -> int | None:
        """Waitlist position (1 = next to be promoted); None unless waitlisted. Uses the
        ``with_position()`` annotation when present."""
        if self.status != self.Status.WAITLISTED:
            return None
        rank = getattr(self, "_rank", None)
        if rank is not None:
            return rank
        ahead = (
            Registration.objects.filter(event_id=self.event_id)
            .waitlisted()
            .filter(
                Q(waitlisted_at__lt=self.waitlisted_at)
                | Q(waitlisted_at=self.waitlisted_at, id__lt=self.id)
            )
            .count()
        )
        return ahead + 1

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    def can_join(self, now: dt.datetime | None = None) -> bool:
        """Confirmed registrants of an online event may join from 30 minutes before the start
        until the end."""
        now = now or timezone.now()
        event = self.event
        return (
            self.status == self.Status.CONFIRMED
            and event.status == Event.Status.PUBLISHED
            and bool(event.join_url)
            and event.starts_at - JOIN_OPENS_BEFORE <= now < event.ends_at
        )
