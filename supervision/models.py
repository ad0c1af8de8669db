"""Supervision (関係機関支援): who the center visits, how many visits are planned per fiscal
year (with every revision), the visits themselves, case meetings municipalities hold on their
own, lecturer dispatches, and the expected number of block liaison meetings.

Counts per fiscal year are never stored: progress is computed from visit rows
(``supervision.queries``)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from core.calendar_item import (
    CalendarItem,
    calendar_item_constraints,
    place_constraint,
    status_field,
)
from core.constraints import date_in_range, fiscal_year_in_range, length_at_most
from core.fiscal import fiscal_year_bounds, fiscal_year_of, local_date, wareki_long
from core.inputs import BoundedRow
from core.vocabulary import words
from directory.models import Block, District, Municipality, PartnerOrganization, User
from directory.permissions import has_role, municipality_ids_in_scope
from supervision.permissions import target_scope_q

TARGET_NAMES = ("municipality", "district", "organization")


class WithTarget:
    """For the rows of a target (plans, visits): ``with_target()`` fetches the target and
    what names it in the same query."""

    def with_target(self):
        return self.select_related(*(f"target__{name}" for name in TARGET_NAMES))


class TargetQuerySet(models.QuerySet):
    def with_names(self):
        """The municipality, district or organization that names the target, in one query."""
        return self.select_related(*TARGET_NAMES)

    def visible_to(self, user):
        scope = target_scope_q(user)
        return self if scope is None else self.filter(scope)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def in_block(self, block_id: int):
        return self.filter(in_block_q(block_id))

    def in_district(self, district_id: int):
        return self.filter(in_district_q(district_id))


def in_block_q(block_id: int) -> Q:
    """Targets in the block: its municipalities, organizations located in it, and districts
    with a municipality in it."""
    return (
        Q(municipality__block_id=block_id)
        | Q(organization__municipality__block_id=block_id)
        | Q(
            Exists(
                Municipality.objects.filter(district_id=OuterRef("district_id"), block_id=block_id)
            )
        )
    )


def in_district_q(district_id: int) -> Q:
    """Targets in the health-office district: the district itself, its municipalities and
    the organizations located in them."""
    return (
        Q(municipality__district_id=district_id)
        | Q(organization__municipality__district_id=district_id)
        | Q(district_id=district_id)
    )


class Target(BoundedRow, models.Model):
    """Who is visited: exactly one municipality, health-office district or partner
    organization. One model, so that plans, visits and progress exist once. It goes
    with its directory row only while no plan or visit refers to it (they protect it)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        DISTRICT = "district", words(_("health-office district"))
        ORGANIZATION = "organization", _("partner organization")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervision_target",
        verbose_name=_("municipality"),
    )
    district = models.OneToOneField(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervision_target",
        verbose_name=_("district"),
    )
    organization = models.OneToOneField(
        PartnerOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervision_target",
        verbose_name=_("partner organization"),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("visit target")
        verbose_name_plural = _("visit targets")
        constraints = [
            models.CheckConstraint(
                name="target_is_exactly_one",
                condition=(
                    Q(
                        kind="municipality",
                        municipality__isnull=False,
                        district__isnull=True,
                        organization__isnull=True,
                    )
                    | Q(
                        kind="district",
                        municipality__isnull=True,
                        district__isnull=False,
                        organization__isnull=True,
                    )
                    | Q(
                        kind="organization",
                        municipality__isnull=True,
                        district__isnull=True,
                        organization__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.municipality_id:
            self.kind = self.Kind.MUNICIPALITY
        elif self.district_id:
            self.kind = self.Kind.DISTRICT
        elif self.organization_id:
            self.kind = self.Kind.ORGANIZATION
        super().save(*args, **kwargs)

    @property
    def subject(self):
        return self.municipality or self.district or self.organization

    @property
    def name(self) -> str:
        """The name as the seed writes it: いの町, 幡多福祉保健所管内, 若者サポートステーション."""
        if self.district_id:
            return self.district.area_name
        return self.subject.name

    @property
    def municipality_ids(self) -> set[int]:
        """The municipalities whose affairs this target is (for scoping)."""
        if self.municipality_id:
            return {self.municipality_id}
        if self.organization_id:
            location = self.organization.municipality_id
            return {location} if location else set()
        return set(self.district.municipalities.values_list("id", flat=True))


class PlanQuerySet(WithTarget, models.QuerySet):
    def visible_to(self, user):
        return self.filter(target__in=Target.objects.visible_to(user))

    def in_fiscal_year(self, fiscal_year: int):
        return self.filter(fiscal_year=fiscal_year)


class Plan(BoundedRow, models.Model):
    """How many visits a target should get in one fiscal year. Changed only through
    ``services.set_plan``, which writes a revision each time."""

    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="plans", verbose_name=_("target")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    planned = models.PositiveSmallIntegerField(_("planned visits"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["fiscal_year", "target_id"]
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        constraints = [
            models.UniqueConstraint(fields=["target", "fiscal_year"], name="one_plan_per_year"),
            fiscal_year_in_range("plan"),
        ]

    def __str__(self):
        return f"{self.target} FY{self.fiscal_year}: {self.planned}"


class PlanRevision(BoundedRow, models.Model):
    """One change of a plan: who, when, the old and the new number, and why. The first
    revision of a plan has no old number."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revised_at = models.DateTimeField(auto_now_add=True)
    old_planned = models.PositiveSmallIntegerField(null=True)
    new_planned = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["revised_at", "id"]
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")

    def __str__(self):
        return f"{self.plan}: {self.old_planned} → {self.new_planned}"


class VisitQuerySet(WithTarget, models.QuerySet):
    def visible_to(self, user):
        return self.filter(target__in=Target.objects.visible_to(user))

    def in_fiscal_year(self, fiscal_year: int):
        start, end = fiscal_year_bounds(fiscal_year)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def between(self, start: dt.datetime, end: dt.datetime):
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def done(self):
        return self.filter(status=Visit.Status.DONE)

    def open(self):
        """Still to happen: scheduled, or postponed to a new date."""
        return self.filter(status__in=Visit.OPEN)

    def not_cancelled(self):
        return self.exclude(status=Visit.Status.CANCELLED)

    def with_staff(self, user_id: int):
        return self.filter(staff__id=user_id)

    def with_people(self):
        """The target and its name, and the staff in a stable order: a visit as pages and
        the API show it, in two queries."""
        return self.with_target().prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("id"))
        )


class Visit(BoundedRow, CalendarItem):
    """One visit of center staff to one target: a calendar item (core.calendar_item).

    Postponement moves the visit: its date changes, its ``sequence`` is raised, its status
    becomes ``postponed`` (still to happen) and a ``VisitPostponement`` row keeps the old and
    the new date. So the visit is counted in the fiscal year of its current date, and a
    calendar keeps one entry (same UID) that moves."""

    class Kind(models.TextChoices):
        CASE_MEETING = "case_meeting", _("case meeting")
        STUDY_SESSION = "study_session", _("study session")
        BUSINESS_REVIEW = "business_review", _("business review")
        SUPERVISION = "supervision", _("supervision")
        ACCOMPANIED = "accompanied", _("accompanied visit or consultation")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        POSTPONED = "postponed", _("postponed")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.SCHEDULED, Status.POSTPONED)
    DEFAULT_LENGTH = dt.timedelta(hours=2)
    UID_PREFIX = "visit"

    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="visits", verbose_name=_("target")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="supervision_visits",
        blank=True,
        verbose_name=_("staff"),
    )
    status = status_field(Status, default=Status.SCHEDULED)
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("May be read by the municipality. No names of supported persons."),
    )
    confidential_notes = models.TextField(
        _("confidential notes"),
        blank=True,
        help_text=_("Center staff only. Never shown to municipalities or in feeds."),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["target", "starts_at"])]
        constraints = [
            *calendar_item_constraints("visit"),
            place_constraint("visit"),
        ]

    def __str__(self):
        return f"{self.target} {self.get_kind_display()} {wareki_long(self.starts_at)}"

    @property
    def date(self) -> dt.date:
        return local_date(self.starts_at)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.starts_at)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class VisitPostponement(BoundedRow, models.Model):
    """The history of a visit's moves: from which date to which, why, by whom."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="postponements")
    old_starts_at = models.DateTimeField()
    new_starts_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    postponed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    postponed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["postponed_at", "id"]

    def __str__(self):
        return (
            f"{self.visit}: {wareki_long(self.old_starts_at)} → {wareki_long(self.new_starts_at)}"
        )


class CaseMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = municipality_ids_in_scope(user)
        return self if scope is None else self.filter(municipality_id__in=scope)


class CaseMeeting(BoundedRow, models.Model):
    """A hikikomori case meeting a municipality held without a visit of the center, recorded
    by staff so that it counts for the prefecture's case-meeting goal. No personal data."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="case_meetings",
        verbose_name=_("municipality"),
    )
    held_on = models.DateField(_("held on"))
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("case meeting")
        verbose_name_plural = _("case meetings")
        constraints = [date_in_range("case_meeting", "held_on")]

    def __str__(self):
        return f"{self.municipality} {wareki_long(self.held_on)}"


class MeetingCadence(BoundedRow, models.Model):
    """How many block liaison meetings a block is expected to hold in a fiscal year. Without
    a row the expectation is ``DEFAULT_EXPECTED`` (各ブロック年２回程度)."""

    DEFAULT_EXPECTED = 2

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="meeting_cadences")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    expected = models.PositiveSmallIntegerField(_("expected meetings"), default=DEFAULT_EXPECTED)

    class Meta:
        verbose_name = _("liaison meeting cadence")
        verbose_name_plural = _("liaison meeting cadences")
        constraints = [
            models.UniqueConstraint(fields=["block", "fiscal_year"], name="one_cadence_per_year"),
            fiscal_year_in_range("cadence"),
        ]

    def __str__(self):
        return f"{self.block} FY{self.fiscal_year}: {self.expected}"


class LecturerDispatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if has_role(user) else self.none()

    def with_staff_in_order(self):
        return self.select_related("municipality").prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("id"))
        )

    def between(self, start: dt.datetime, end: dt.datetime):
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class LecturerDispatch(BoundedRow, CalendarItem):
    """Center staff lecturing at someone else's lecture or workshop (講師派遣). A record of its
    own, not a training Event: nobody registers for it here. A calendar item
    (core.calendar_item): until 2026-12 its end was not checked against its start in the
    database; migration 0005 fixed the rows that ended before they started."""

    UID_PREFIX = "dispatch"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    host = models.CharField(_("host organization"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="lecturer_dispatches", blank=True
    )
    status = status_field(Status, default=Status.SCHEDULED)

    objects = LecturerDispatchQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("lecturer dispatch")
        verbose_name_plural = _("lecturer dispatches")
        constraints = [
            *calendar_item_constraints("lecturer_dispatch"),
            place_constraint("lecturer_dispatch"),
            length_at_most("lecturer_dispatch", "title", 200),
        ]

    def __str__(self):
        return f"{self.title} ({self.host})"
