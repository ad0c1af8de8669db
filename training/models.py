"""Training: courses, lecturers, events (every gathering the center holds) and registrations.

Shape (other apps build on it; attendance and supervision may read it, never the reverse):

- ``Course``: one yearly program, e.g. 令和3年度 ひきこもり支援者人材養成研修 (``fiscal_year``,
  ``title``). Its events are its parts ア・イ・ウ・エ (``Event.label``).
- ``Lecturer``: name, kana, affiliation (所属) and title (職名), e.g. 山田 太郎, ○○県立精神保健福祉
  センター, 所長.
- ``Event``: any gathering with a time, a place or an online meeting, and people who come.
  ``kind`` is one of ``Event.Kind`` (lecture, dialogue, online_lecture, case_study, awareness,
  liaison_meeting). ``course`` is optional (liaison meetings and awareness events have none).
  ``status`` is draft / published / cancelled. Calendar facts for feeds: ``ical_uid``
  (``event-{pk}@sasaeru``), ``sequence`` (raised by the services that change time or place or
  cancel), ``updated_at``, ``cancelled_at``. ``join_url`` is private: it is never shown on a public
  page, in an export, in a feed or in an email; confirmed registrants reach it only through the
  in-app redirect of their management page (``Registration.can_join``).
  ``capacity`` None means no limit. The registration window is ``registration_opens_at`` ..
  ``registration_closes_at`` (None: open from publication / until the start).
  ``audiences`` is a JSON list of ``Audience`` values, ``invited_organization_kinds`` a JSON
  list of ``directory.PartnerOrganization.Kind`` values (for liaison meetings), ``block`` and
  ``co_host_district`` are set for liaison meetings. ``staff`` are the center staff assigned.
  ``promotion_cutoff``: until ``starts_at - promotion_cutoff`` a freed seat goes to the first
  waitlisted person automatically; after it staff promote by hand.
- ``EventPart``: the parts of one session in ``order`` (イ: a lecture then a dialogue), each with
  lecturers through ``EventPartLecturer`` and their role (講師 / 対談者).
- ``Registration``: a person's place at an event, without an account. ``status`` is
  pending_confirmation (a web registration until its email link is followed; holds no seat),
  confirmed (holds a seat), waitlisted (queued by ``waitlisted_at``, then id) or cancelled.
  The waitlist position is not stored: it is the rank among the event's waitlisted rows
  (``RegistrationQuerySet.with_position()`` / ``Registration.position``), so it can never have
  gaps. One active (non-cancelled) registration per event and email (a DB constraint).
  Secrets: ``management_token_hash`` and ``confirmation_token_hash`` hold SHA-256 hashes; the raw
  tokens are HMACs of ``secret_nonce`` with SECRET_KEY (``Registration.management_token``), so
  emails rendered later can still carry the links while the database alone reveals none.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fiscal import fiscal_year_bounds
from core.inputs import BoundedRow
from core.tokens import hash_token, new_token
from directory.models import Block, District, Municipality
from directory.permissions import has_role, is_center_staff

DEFAULT_PROMOTION_CUTOFF = dt.timedelta(days=2)
CONFIRMATION_VALIDITY = dt.timedelta(hours=48)
JOIN_OPENS_BEFORE = dt.timedelta(minutes=30)


class Audience(models.TextChoices):
    """Whom a training is meant for; also a registrant's affiliation type."""

    WELFARE_COMMISSIONER = "welfare_commissioner", _("welfare commissioner")
    COMMUNITY_CENTER = "community_center", _("community center (attaka fureai) staff")
    MUNICIPAL = "municipal", _("municipal staff")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("social welfare council")
    MEDICAL = "medical", _("medical institution")
    PRIVATE_SUPPORT = "private_support", _("private support group")
    OTHER = "other", _("other")


class Course(BoundedRow, models.Model):
    """A yearly training program (e.g. 令和3年度 ひきこもり支援者人材養成研修)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-fiscal_year", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "title"], name="course_unique_title")
        ]

    def __str__(self):
        return self.title


class Lecturer(BoundedRow, models.Model):
    """A lecturer or dialogue partner: 講師 所属・職名・氏名."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    kana = models.CharField(_("reading"), max_length=200, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)

    class Meta:
        ordering = ["kana", "name"]
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def not_cancelled(self):
        return self.exclude(status=Event.Status.CANCELLED)

    def in_fiscal_year(self, fiscal_year: int):
        start, end = fiscal_year_bounds(fiscal_year)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def upcoming(self, now=None):
        """Events that have not ended yet."""
        return self.filter(ends_at__gt=now or timezone.now())

    def liaison_meetings(self):
        return self.filter(kind=Event.Kind.LIAISON_MEETING)

    def trainings(self):
        """Everything but liaison meetings."""
        return self.exclude(kind=Event.Kind.LIAISON_MEETING)

    def with_counts(self):
        """Annotate ``confirmed_count`` and ``waitlisted_count`` (one query, no N+1)."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        )

    def public(self):
        """What anyone may see without logging in: published trainings (not liaison meetings)."""
        return self.published().trainings()

    def public_or_cancelled(self):
        """Public trainings and those cancelled after publication: a registrant's link to a
        cancelled event shows that it was cancelled rather than "not found"."""
        return self.trainings().filter(
            Q(status=Event.Status.PUBLISHED)
            | Q(status=Event.Status.CANCELLED, published_at__isnull=False)
        )

    def visible_to(self, user):
        """Every staff role sees every event (trainings are public facts of the program); a
        user without a role sees none. Drafts are staff-only by going through this method."""
        return self if has_role(user) else self.none()


class Event(BoundedRow, models.Model):
    """One gathering: a lecture, dialogue, online lecture, case study, awareness event or block
    liaison meeting. See the module docstring for the meaning of each field."""

    # The fields staff edit: the one list that the form, the API, the services and the audit
    # trail use.
    EDITABLE_FIELDS = (
        "course",
        "label",
        "title",
        "kind",
        "description",
        "starts_at",
        "ends_at",
        "venue",
        "join_url",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "audiences",
        "promotion_cutoff",
        "block",
        "co_host_district",
        "invited_organization_kinds",
    )
    # The times staff enter as a date and a time of day (Tokyo).
    TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        DIALOGUE = "dialogue", _("dialogue")
        ONLINE_LECTURE = "online_lecture", _("online lecture")
        CASE_STUDY = "case_study", _("case study")
        AWARENESS = "awareness", _("awareness event")
        LIAISON_MEETING = "liaison_meeting", _("liaison meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("course"),
    )
    label = models.CharField(
        pgettext_lazy("event", "label"), max_length=10, blank=True, help_text=_("e.g. ア, イ")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    join_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_(
            "Private: shown only to confirmed registrants, from 30 minutes before the start."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    promotion_cutoff = models.DurationField(
        _("automatic promotion cut-off"),
        default=DEFAULT_PROMOTION_CUTOFF,
        help_text=_("Before the start; after it staff promote waitlisted people by hand."),
    )
    block = models.ForeignKey(
        Block,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("block"),
    )
    co_host_district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_hosted_events",
        verbose_name=_("co-hosting district"),
    )
    invited_organization_kinds = models.JSONField(
        _("invited organization kinds"), default=list, blank=True
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="training_events",
        verbose_name=_("staff assigned"),
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("training:event", args=[self.pk])

    @property
    def ical_uid(self) -> str:
        return f"event-{self.pk}@sasaeru"

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.ONLINE_LECTURE or bool(self.join_url)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registration_window(self) -> tuple[dt.datetime | None, dt.datetime]:
        """[opens, closes): opens None means since publication; closes defaults to the start."""
        return self.registration_opens_at, self.registration_closes_at or self.starts_at

    def registration_is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        opens, closes = self.registration_window()
        return (
            self.status == self.Status.PUBLISHED
            and (opens is None or opens <= now)
            and now < closes
        )

    def promotes_automatically(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.starts_at - self.promotion_cutoff

    def seats_left_given(self, confirmed: int) -> int | None:
        return None if self.capacity is None else max(self.capacity - confirmed, 0)

    @property
    def seats_left(self) -> int | None:
        """Free seats (None: no limit). Uses the ``with_counts()`` annotation when present."""
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.confirmed().count()
        return self.seats_left_given(confirmed)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(value, value)) for value in self.audiences]


class EventPart(BoundedRow, models.Model):
    """One part of a session, e.g. イ's lecture, then its dialogue."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        DIALOGUE = "dialogue", _("dialogue")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    lecturers = models.ManyToManyField(
        Lecturer, through="EventPartLecturer", related_name="parts", verbose_name=_("lecturers")
    )

    class Meta:
        ordering = ["event", "order", "id"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")

    def __str__(self):
        return self.title


class EventPartLecturer(BoundedRow, models.Model):
    """A lecturer in a part, with their role."""

    class Role(models.TextChoices):
        LECTURER = "lecturer", _("lecturer")
        DIALOGIST = "dialogist", _("dialogue partner")

    part = models.ForeignKey(EventPart, on_delete=models.CASCADE, related_name="speakers")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="speakings")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LECTURER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["part", "order", "id"]
        verbose_name = _("lecturer of a part")
        verbose_name_plural = _("lecturers of parts")
        constraints = [
            models.UniqueConstraint(fields=["part", "lecturer"], name="part_lecturer_once")
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.lecturer}"


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

    def for_token(self, raw: str):
        return self.filter(management_token_hash=hash_token(raw))

    def visible_to(self, user):
        """Registrations are personal data: center staff and staff assigned see them; other
        staff roles see none (they see events, not who registered)."""
        return self if is_center_staff(user) else self.none()


class Registration(BoundedRow, models.Model):
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
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    kana = models.CharField(_("name in kana"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    affiliation_type = models.CharField(
        _("affiliation type"), max_length=30, choices=Audience.choices
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_registrations",
        verbose_name=_("municipality"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
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
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} ({self.event})"

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
        self.status = status
        self.sequence += 1
        fields = ["status", "sequence"]
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

    def set_secrets(self, *, needs_confirmation: bool, now: dt.datetime) -> None:
        self.secret_nonce = self.new_nonce()
        self.management_token_hash = hash_token(self.management_token)
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
