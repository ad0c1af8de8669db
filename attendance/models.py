"""Attendance: who came to each event (training.Event: lectures, online lectures, awareness
events and block liaison meetings alike).

- ``Roster``: one per event, made when staff first build it. Holds the minimum attended
  minutes of an online import (empty: 60% of the event's length) and whether it is closed.
  After closing, every change is logged (``RosterChange``) with its reason.
- ``RosterEntry``: one person at one event: from a confirmed ``training.Registration``, from an
  invitation (a ``directory.Contact`` of the block, for liaison meetings), or a walk-in added at
  the door. Carries a copy of the person's facts, so the roster stays as it was on the day,
  and the status (expected until recorded; present, late, left early, absent, excused), with the
  check-in time and who recorded it when. Present, late and left early count as attended.
- ``OnlineImport`` / ``ImportedAttendee``: an uploaded participant report (Zoom, Webex) and its
  merged rows; each row is matched to an entry (by email, then by name), or waits for staff to
  resolve it (assign, add as walk-in, or dismiss) — it is never dropped.
- ``Certificate``: a certificate of attendance (受講証明書), numbered per fiscal year
  (令和3年度 第N号): one unique (fiscal_year, number) row per certificate, one per entry.
"""

import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.imports import name_key
from attendance.kana import gojuon_key
from core.erased import ERASED
from core.fiscal import fiscal_year_label
from core.inputs import BoundedRow
from core.vocabulary import affiliation_choices, affiliation_label, fill, words
from directory.models import Contact
from directory.permissions import is_center_staff
from training.models import Audience, Event, PersonFields, Registration

DEFAULT_MINIMUM_SHARE = 0.6


def _affiliation_choices():
    """A registrant's affiliation types (training.Audience) plus health offices, which send
    staff to liaison meetings but do not register for trainings."""
    return [*Audience.choices, ("health_office", words(_("health office")))]


AFFILIATION_CHOICES = _affiliation_choices()


def walk_in_choices() -> list[tuple[str, str]]:
    """The affiliation kinds this center's forms offer (its profile), then health offices."""
    return [*affiliation_choices(), ("health_office", fill(_("health office")))]


def walk_in_label(kind: str) -> str:
    """A roster row's affiliation as this center calls it."""
    return fill(_("health office")) if kind == "health_office" else affiliation_label(kind)


class Roster(BoundedRow, models.Model):
    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="roster", verbose_name=_("event")
    )
    minimum_minutes = models.PositiveIntegerField(
        _("minimum attended minutes"),
        null=True,
        blank=True,
        help_text=_("For online imports. Empty means 60 percent of the event's length."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self):
        return str(self.event)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def effective_minimum_minutes(self) -> int:
        if self.minimum_minutes is not None:
            return self.minimum_minutes
        length = (self.event.ends_at - self.event.starts_at).total_seconds() / 60
        return math.ceil(length * DEFAULT_MINIMUM_SHARE)


class RosterEntryQuerySet(models.QuerySet):
    def attended(self):
        return self.filter(status__in=RosterEntry.ATTENDED)

    def in_kana_order(self):
        return self.order_by("kana_key", "name", "id")

    def visible_to(self, user):
        """Names are personal data: only center staff see roster rows. Other roles see counts
        (attendance.queries), never names."""
        return self if is_center_staff(user) else self.none()


class RosterEntry(BoundedRow, PersonFields):
    """One person at one event, with a copy of their facts (PersonFields) as on the day."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("registration")
        INVITATION = "invitation", _("invitation")
        WALK_IN = "walk_in", _("walk-in")

    class Status(models.TextChoices):
        EXPECTED = "expected", _("not yet recorded")
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        LEFT_EARLY = "left_early", _("left early")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    ATTENDED = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY)

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="roster_entries", verbose_name=_("event")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    registration = models.OneToOneField(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roster_entry",
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="roster_entries"
    )
    # The person's facts are PersonFields (training.models.people); a roster also has health
    # offices among its affiliations.
    affiliation_type = models.CharField(
        _("affiliation type"), max_length=30, choices=AFFILIATION_CHOICES
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.EXPECTED
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    attended_minutes = models.PositiveIntegerField(_("attended minutes"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    person_key = models.CharField(max_length=300, editable=False)
    """Name and organization compared width-, case- and space-insensitively: a walk-in with the
    same key as another entry of the event is a duplicate."""
    kana_key = models.CharField(max_length=200, editable=False, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RosterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["event", "kana_key", "name", "id"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person_key"],
                condition=Q(source="walk_in"),
                name="roster_walk_in_once",
            ),
            models.UniqueConstraint(
                fields=["event", "contact"],
                condition=Q(contact__isnull=False),
                name="roster_contact_invited_once",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="roster_event_status")]

    def __str__(self):
        return f"{self.name} ({self.event})"

    def save(self, *args, **kwargs):
        self.fill_keys()
        super().save(*args, **kwargs)

    def get_affiliation_type_display(self) -> str:
        """As this center calls the kind, a kind of its own included (core.vocabulary)."""
        return walk_in_label(self.affiliation_type)

    @staticmethod
    def key_for(name: str, organization: str) -> str:
        return f"{name_key(name)}|{name_key(organization)}"

    def fill_keys(self) -> None:
        """Derive the comparison keys from name, organization and kana (bulk_create skips
        save(), so services call this themselves). An erased entry (core.erased) keeps the
        key the erasure gave it, unique per entry."""
        if self.name == ERASED and self.person_key:
            return
        self.person_key = self.key_for(self.name, self.organization)
        self.kana_key = gojuon_key(self.kana)[1]

    def sort_key(self) -> tuple:
        return gojuon_key(self.kana, self.name)

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


class RosterChange(BoundedRow, models.Model):
    """A change to a closed roster, with why it was made."""

    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="changes")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("change after closing")
        verbose_name_plural = _("changes after closing")

    def __str__(self):
        return f"{self.entry}: {self.old_status} → {self.new_status}"


class OnlineImport(BoundedRow, models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="online_imports")
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    format_label = models.CharField(_("format"), max_length=100)
    encoding = models.CharField(_("encoding"), max_length=30)
    rows = models.PositiveIntegerField(_("rows"))
    minimum_minutes = models.PositiveIntegerField(_("minimum attended minutes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("online attendance import")
        verbose_name_plural = _("online attendance imports")

    def __str__(self):
        return f"{self.filename} ({self.event})"


class ImportedAttendeeQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(resolution=ImportedAttendee.Resolution.UNMATCHED)


class ImportedAttendee(BoundedRow, models.Model):
    """One person of a participant report (rejoins merged)."""

    class Resolution(models.TextChoices):
        EMAIL = "email", _("matched by email")
        NAME = "name", _("matched by name")
        ASSIGNED = "assigned", _("assigned by staff")
        WALK_IN = "walk_in", _("added as walk-in")
        DISMISSED = "dismissed", _("dismissed by staff")
        UNMATCHED = "unmatched", _("not matched yet")

    online_import = models.ForeignKey(
        OnlineImport, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("name"), max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    lines = models.CharField(_("lines"), max_length=200)
    entry = models.ForeignKey(
        RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="imported"
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ImportedAttendeeQuerySet.as_manager()

    class Meta:
        ordering = ["online_import", "id"]
        verbose_name = _("imported attendee")
        verbose_name_plural = _("imported attendees")

    def __str__(self):
        return self.name


class Certificate(BoundedRow, models.Model):
    entry = models.OneToOneField(RosterEntry, on_delete=models.PROTECT, related_name="certificate")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveIntegerField(_("number"))
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["fiscal_year", "number"]
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="certificate_number_once_per_year"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """令和3年度 第12号."""
        return f"{fiscal_year_label(self.fiscal_year)} 第{self.number}号"


class CheckInScan(BoundedRow, models.Model):
    """One reading at the door (a QR code scanned, or the undo of one), from one device, sent
    once or again after the network came back: ``client_id`` (made by the device) makes it
    count once. Keeps the answer it got, never the code itself."""

    class Kind(models.TextChoices):
        SCAN = "scan", _("scan")
        UNDO = "undo", _("undo")

    class Result(models.TextChoices):
        CHECKED_IN = "checked_in", _("Checked in")
        ALREADY = "already", _("Already checked in")
        WAITLISTED = "waitlisted", _("On the waitlist")
        PENDING = "pending", _("Email not confirmed yet")
        CANCELLED = "cancelled", _("Cancelled registration")
        OTHER_EVENT = "other_event", _("Admission ticket of another training")
        UNREADABLE = "unreadable", _("Cannot read this code")
        REFUSED = "refused", _("Could not record")
        UNDONE = "undone", _("Check-in undone")
        NOTHING_TO_UNDO = "nothing_to_undo", _("Nothing to undo")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="check_in_scans")
    client_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    device = models.CharField(_("device"), max_length=64)
    entry = models.ForeignKey(
        RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="scans"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undoes = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="undone_by"
    )
    result = models.CharField(max_length=20, choices=Result.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["event", "scanned_at", "id"]
        verbose_name = _("check-in scan")
        verbose_name_plural = _("check-in scans")

    def __str__(self):
        return f"{self.kind} {self.result} ({self.event_id})"
