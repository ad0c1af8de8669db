"""Courses, lecturers, events and their parts (see the package docstring)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.calendar_item import (
    CalendarItem,
    calendar_item_constraints,
    place_constraint,
    status_field,
)
from core.constraints import datetime_in_range, fiscal_year_in_range, length_at_most
from core.fiscal import fiscal_year_bounds
from core.inputs import BoundedRow
from core.vocabulary import affiliation_label, words
from directory.models import Block, District
from directory.permissions import has_role

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
            models.UniqueConstraint(fields=["fiscal_year", "title"], name="course_unique_title"),
            fiscal_year_in_range("course"),
            length_at_most("course", "title", 200),
        ]

    def __str__(self):
        return self.title


class Lecturer(BoundedRow, models.Model):
    """A lecturer or dialogue partner: 講師 所属・職名・氏名."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    kana = models.CharField(_("reading"), max_length=200, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    honorific = models.CharField(
        _("honorific"),
        max_length=20,
        blank=True,
        help_text=_("Printed with the name, e.g. 医師 or 教授."),
    )

    class PrintStyle(models.TextChoices):
        """How a report prints the lecturer, as documents write it (the seed uses all three)."""

        AFFILIATION = "affiliation", _("Affiliation, title, name (○○センター　所長　山田　太郎)")
        POSITION = (
            "position",
            _("Affiliation and title as one (○○大学医学部特任助教　山田　花子　医師)"),
        )
        NAME = "name", _("Name first (山田　次郎教授（○○大学○○学科）)")

    print_style = models.CharField(
        _("printed as"),
        max_length=20,
        choices=PrintStyle.choices,
        default=PrintStyle.AFFILIATION,
    )

    class Meta:
        ordering = ["kana", "name"]
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(print_style__in=["affiliation", "position", "name"]),
                name="lecturer_print_style_known",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def spaced_name(self) -> str:
        """山﨑 正雄 → 山﨑　正雄 (a full-width space between family and given name)."""
        return self.name.replace(" ", "　")

    @property
    def name_with_honorific(self) -> str:
        """小松　静香医師: how a list of several speakers names them (対談者：…・…)."""
        return self.spaced_name + self.honorific

    @property
    def credit(self) -> str:
        """The lecturer as a report prints them alone on a 講師 line, in their print style:
        「○○センター　所長　山田　太郎」, 「○○大学医学部特任助教　山田　花子　医師」 or
        「山田　次郎教授（○○大学○○学科）」 (the seed's three forms). In the name-first style the
        parentheses hold the affiliation and the title, the title left out when it is the honorific."""
        if self.print_style == self.PrintStyle.NAME:
            title = "" if self.title == self.honorific else self.title
            where = "　".join(x for x in (self.affiliation, title) if x)
            return self.name_with_honorific + (f"（{where}）" if where else "")
        if self.print_style == self.PrintStyle.POSITION:
            head = [self.affiliation + self.title]
        else:
            head = [self.affiliation, self.title]
        return "　".join(x for x in (*head, self.spaced_name, self.honorific) if x)


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
        status = self.model._meta.get_field("registrations").related_model.Status
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=status.CONFIRMED)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=status.WAITLISTED)
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


class Event(BoundedRow, CalendarItem):
    """One gathering: a lecture, dialogue, online lecture, case study, awareness event or block
    liaison meeting. See the module docstring for the meaning of each field. Its status, times,
    sequence and timestamps are a calendar item's (core.calendar_item)."""

    UID_PREFIX = "event"
    # An event's place has always been its venue (the column, the API field, the form).
    PLACE_FIELD = "venue"
    place = None

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
    status = status_field(Status, default=Status.DRAFT)
    description = models.TextField(_("description"), blank=True)
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
        verbose_name=words(_("co-hosting district")),
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
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *calendar_item_constraints("event"),
            datetime_in_range("event", "registration_opens_at", null=True),
            datetime_in_range("event", "registration_closes_at", null=True),
            length_at_most("event", "title", 200),
            place_constraint("event", "venue"),
        ]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("training:event", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return self.kind == self.Kind.ONLINE_LECTURE or bool(self.join_url)

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
        return [affiliation_label(value) for value in self.audiences]


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
