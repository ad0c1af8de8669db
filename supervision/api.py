"""The supervision API at /api/supervision/: targets, yearly plans and their revisions, visits
(schedule, series, complete, cancel, postpone), progress, the case-meeting goal, lecturer
dispatches, scheduling warnings, block liaison meetings and their cadence, and the planning
calendar. Confidential notes are null for everyone but center
staff."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from core.fiscal import TOKYO, fiscal_year_bounds, fiscal_year_of, today
from directory.auth import staff_auth
from directory.models import Block, District, Municipality, PartnerOrganization, User
from supervision import planning, queries, services
from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    Plan,
    PlanRevision,
    Target,
    Visit,
    VisitPostponement,
)
from supervision.permissions import (
    can_manage_dispatches,
    can_manage_visit,
    can_plan_liaison_meetings,
    can_plan_visits,
    can_read_confidential_notes,
    can_record_case_meeting,
)

router = Router(auth=staff_auth, tags=["supervision"])

NO_STAFF: list[int] = []
TARGET_NAMES = ("target__municipality", "target__district", "target__organization")


# --- helpers ------------------------------------------------------------------------------


def _tokyo(value: dt.datetime) -> dt.datetime:
    """Times are answered in Tokyo time (+09:00), as people read them."""
    return value.astimezone(TOKYO)


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def _visible_target(request, target_id: int, field: str = "target_id") -> Target:
    target = (
        Target.objects.visible_to(request.auth)
        .select_related("municipality", "district", "organization")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise ValidationError({field: _("Unknown target.")})
    return target


def _center_staff(user_ids: list[int]) -> list[User]:
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(users) != len(set(user_ids)):
        raise ValidationError({"staff_ids": _("Unknown staff member.")})
    return users


def _visits(request):
    return (
        Visit.objects.visible_to(request.auth)
        .select_related(*TARGET_NAMES)
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("id")))
    )


def _visit_or_404(request, visit_id: int) -> Visit:
    return get_object_or_404(_visits(request), pk=visit_id)


def _filter_targets(request, *, block_id=None, district_id=None, kind=None):
    targets = Target.objects.visible_to(request.auth)
    if block_id is not None:
        targets = targets.in_block(block_id)
    if district_id is not None:
        targets = targets.in_district(district_id)
    if kind:
        if kind not in Target.Kind.values:
            raise ValidationError({"kind": _("Unknown kind of target.")})
        targets = targets.of_kind(kind)
    return targets


# --- schemas ------------------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    kind: str
    name: str
    municipality_id: int | None
    district_id: int | None
    organization_id: int | None


class TargetIn(Schema):
    municipality_id: int | None = None
    district_id: int | None = None
    organization_id: int | None = None


class RevisionOut(Schema):
    revised_at: dt.datetime
    revised_by: str | None
    old_planned: int | None
    new_planned: int
    reason: str

    @staticmethod
    def resolve_revised_by(obj):
        return str(obj.revised_by) if obj.revised_by else None


class PlanOut(Schema):
    id: int
    target_id: int
    target_name: str
    fiscal_year: int
    planned: int

    @staticmethod
    def resolve_target_name(obj):
        return obj.target.name


class PlanDetailOut(PlanOut):
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_revisions(obj):
        return obj.revisions.select_related("revised_by")


class PlanIn(Schema):
    target_id: int
    fiscal_year: int
    planned: int
    reason: str = ""


class StaffOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class PostponementOut(Schema):
    old_starts_at: dt.datetime
    new_starts_at: dt.datetime
    reason: str
    postponed_at: dt.datetime

    @staticmethod
    def resolve_old_starts_at(obj):
        return _tokyo(obj.old_starts_at)

    @staticmethod
    def resolve_new_starts_at(obj):
        return _tokyo(obj.new_starts_at)


class VisitOut(Schema):
    id: int
    ical_uid: str
    target_id: int
    target_name: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    fiscal_year: int
    place: str
    status: str
    staff: list[StaffOut]
    public_summary: str
    confidential_notes: str | None = Field(
        None, description="Center staff only; null for everyone else."
    )
    cancel_reason: str
    cancelled_at: dt.datetime | None
    completed_at: dt.datetime | None
    sequence: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_target_name(obj):
        return obj.target.name

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.all()

    @staticmethod
    def resolve_confidential_notes(obj, context):
        if can_read_confidential_notes(context["request"].auth):
            return obj.confidential_notes
        return None


class VisitDetailOut(VisitOut):
    postponements: list[PostponementOut]

    @staticmethod
    def resolve_postponements(obj):
        return VisitPostponement.objects.filter(visit=obj)


class WarningOut(Schema):
    code: str
    message: str


class ScheduledOut(Schema):
    visit: VisitOut
    warnings: list[WarningOut]


class SeriesOut(Schema):
    visits: list[VisitOut]
    warnings: list[WarningOut]


class VisitIn(Schema):
    target_id: int
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    staff_ids: list[int] = []
    public_summary: str = ""
    confidential_notes: str = ""


class SeriesIn(Schema):
    target_id: int
    kind: str
    starts_at: list[dt.datetime]
    minutes: int = Field(120, ge=15, le=24 * 60)
    place: str = ""
    staff_ids: list[int] = []


class CompleteIn(Schema):
    public_summary: str = ""
    confidential_notes: str | None = None


class CancelIn(Schema):
    reason: str


class PostponeIn(Schema):
    new_starts_at: dt.datetime
    new_ends_at: dt.datetime | None = None
    reason: str = ""


class VisitChangeIn(Schema):
    place: str | None = None
    staff_ids: list[int] | None = None
    public_summary: str | None = None
    confidential_notes: str | None = None


class ProgressOut(Schema):
    target_id: int
    kind: str
    name: str
    planned: int
    done: int
    scheduled: int
    overdue: int
    at_risk: bool
    last_done_on: dt.date | None
    days_since_last_done: int | None
    expected_by_now: float


class MunicipalityRef(Schema):
    id: int
    name: str


class CaseMeetingGoalOut(Schema):
    fiscal_year: int
    count: int
    total: int
    held: list[MunicipalityRef]
    without: list[MunicipalityRef]


class CaseMeetingIn(Schema):
    municipality_id: int
    held_on: dt.date
    remarks: str = ""


class CaseMeetingOut(Schema):
    id: int
    municipality_id: int
    held_on: dt.date
    remarks: str


class DispatchIn(Schema):
    title: str
    host: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    municipality_id: int | None = None
    place: str = ""
    staff_ids: list[int] = []


class DispatchOut(Schema):
    id: int
    ical_uid: str
    title: str
    host: str
    municipality_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str
    staff: list[StaffOut]
    sequence: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.all()


# --- targets and plans --------------------------------------------------------------------


@router.get("/targets", response=list[TargetOut])
def list_targets(
    request, kind: str | None = None, block_id: int | None = None, district_id: int | None = None
):
    return _filter_targets(
        request, block_id=block_id, district_id=district_id, kind=kind
    ).select_related("municipality", "district", "organization")


@router.post("/targets", response={200: TargetOut})
def create_target(request, payload: TargetIn):
    _deny_unless(can_plan_visits(request.auth))
    lookups = {
        "municipality": (Municipality, payload.municipality_id),
        "district": (District, payload.district_id),
        "organization": (PartnerOrganization, payload.organization_id),
    }
    given = {}
    for key, (model, pk) in lookups.items():
        if pk is not None:
            row = model.objects.filter(pk=pk).first()
            if row is None:
                raise ValidationError({f"{key}_id": _("Unknown %(what)s.") % {"what": key}})
            given[key] = row
    return services.target_for(**given)


@router.get("/plans", response=list[PlanOut])
def list_plans(request, fiscal_year: int):
    return (
        Plan.objects.visible_to(request.auth)
        .in_fiscal_year(fiscal_year)
        .select_related(*TARGET_NAMES)
    )


@router.post("/plans", response=PlanDetailOut)
def set_plan(request, payload: PlanIn):
    """Create or revise the plan of a target for a fiscal year (a reason is required for a
    revision)."""
    _deny_unless(can_plan_visits(request.auth))
    target = _visible_target(request, payload.target_id)
    return services.set_plan(
        target=target,
        fiscal_year=payload.fiscal_year,
        planned=payload.planned,
        reason=payload.reason,
        by=request.auth,
    )


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: int):
    return get_object_or_404(
        Plan.objects.visible_to(request.auth).select_related(*TARGET_NAMES), pk=plan_id
    )


@router.get("/plans/{plan_id}/revisions", response=list[RevisionOut])
def list_plan_revisions(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.auth), pk=plan_id)
    return PlanRevision.objects.filter(plan=plan).select_related("revised_by")


# --- progress -----------------------------------------------------------------------------


@router.get("/progress", response=list[ProgressOut])
def get_progress(
    request,
    fiscal_year: int | None = None,
    as_of: dt.date | None = None,
    block_id: int | None = None,
    district_id: int | None = None,
    kind: str | None = None,
):
    """「実施済／予定」 per target with a plan, at-risk targets first. ``as_of`` defaults to
    today, ``fiscal_year`` to the fiscal year of ``as_of``."""
    as_of = as_of or today()
    fiscal_year = fiscal_year or fiscal_year_of(as_of)
    targets = _filter_targets(request, block_id=block_id, district_id=district_id, kind=kind)
    items = queries.progress(fiscal_year=fiscal_year, as_of=as_of, targets=targets)
    # Built directly rather than validated item by item against ProgressOut (which documents
    # it): with 1,741 targets the validation took as long as the query itself.
    fields = list(ProgressOut.model_fields)
    return JsonResponse(
        [{name: getattr(item, name) for name in fields} for item in items], safe=False
    )


# --- visits -------------------------------------------------------------------------------


@router.get("/visits", response=list[VisitOut])
def list_visits(
    request,
    fiscal_year: int | None = None,
    target_id: int | None = None,
    status: str | None = None,
    staff_id: int | None = None,
):
    visits = _visits(request)
    if fiscal_year is not None:
        visits = visits.in_fiscal_year(fiscal_year)
    if target_id is not None:
        visits = visits.filter(target_id=target_id)
    if status:
        if status not in Visit.Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        visits = visits.filter(status=status)
    if staff_id is not None:
        visits = visits.with_staff(staff_id)
    return visits


@router.post("/visits", response=ScheduledOut)
def schedule_visit(request, payload: VisitIn):
    _deny_unless(can_plan_visits(request.auth))
    target = _visible_target(request, payload.target_id)
    visit = services.schedule_visit(
        target=target,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        staff=_center_staff(payload.staff_ids),
        public_summary=payload.public_summary,
        confidential_notes=payload.confidential_notes,
        by=request.auth,
    )
    warnings = queries.scheduling_warnings(
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        staff_ids=payload.staff_ids,
        exclude_visit_id=visit.pk,
    )
    return {"visit": _visit_or_404(request, visit.pk), "warnings": warnings}


@router.post("/visits/series", response=SeriesOut)
def plan_visit_series(request, payload: SeriesIn):
    """Schedule several visits at once, each a visit of its own."""
    _deny_unless(can_plan_visits(request.auth))
    target = _visible_target(request, payload.target_id)
    visits = services.plan_visit_series(
        target=target,
        kind=payload.kind,
        starts_at=payload.starts_at,
        length=dt.timedelta(minutes=payload.minutes),
        place=payload.place,
        staff=_center_staff(payload.staff_ids),
        by=request.auth,
    )
    warnings = [
        warning
        for visit in visits
        for warning in queries.scheduling_warnings(
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            staff_ids=payload.staff_ids,
            exclude_visit_id=visit.pk,
        )
    ]
    return {
        "visits": list(_visits(request).filter(pk__in=[v.pk for v in visits])),
        "warnings": warnings,
    }


@router.get("/visits/{visit_id}", response=VisitDetailOut)
def get_visit(request, visit_id: int):
    return _visit_or_404(request, visit_id)


@router.patch("/visits/{visit_id}", response=VisitDetailOut)
def revise_visit(request, visit_id: int, payload: VisitChangeIn):
    visit = _visit_or_404(request, visit_id)
    _deny_unless(can_manage_visit(request.auth, visit))
    services.revise_visit_details(
        visit=visit,
        place=payload.place,
        staff=None if payload.staff_ids is None else _center_staff(payload.staff_ids),
        public_summary=payload.public_summary,
        confidential_notes=payload.confidential_notes,
        by=request.auth,
    )
    return _visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/complete", response=VisitDetailOut)
def complete_visit(request, visit_id: int, payload: CompleteIn):
    visit = _visit_or_404(request, visit_id)
    _deny_unless(can_manage_visit(request.auth, visit))
    services.complete_visit(
        visit=visit,
        public_summary=payload.public_summary,
        confidential_notes=payload.confidential_notes,
        by=request.auth,
    )
    return _visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/cancel", response=VisitDetailOut)
def cancel_visit(request, visit_id: int, payload: CancelIn):
    visit = _visit_or_404(request, visit_id)
    _deny_unless(can_manage_visit(request.auth, visit))
    services.cancel_visit(visit=visit, reason=payload.reason, by=request.auth)
    return _visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/postpone", response=VisitDetailOut)
def postpone_visit(request, visit_id: int, payload: PostponeIn):
    visit = _visit_or_404(request, visit_id)
    _deny_unless(can_manage_visit(request.auth, visit))
    services.postpone_visit(
        visit=visit,
        new_starts_at=payload.new_starts_at,
        new_ends_at=payload.new_ends_at,
        reason=payload.reason,
        by=request.auth,
    )
    return _visit_or_404(request, visit_id)


@router.get("/scheduling-warnings", response=list[WarningOut])
def get_scheduling_warnings(
    request,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    staff_ids: Query[list[int]] = NO_STAFF,
    exclude_visit_id: int | None = None,
):
    """What scheduling at this time would clash with (holidays, 年末年始, staff already booked)."""
    _deny_unless(can_plan_visits(request.auth))
    return queries.scheduling_warnings(
        starts_at=starts_at, ends_at=ends_at, staff_ids=staff_ids, exclude_visit_id=exclude_visit_id
    )


# --- the case-meeting goal ----------------------------------------------------------------


@router.get("/case-meeting-goal", response=CaseMeetingGoalOut)
def get_case_meeting_goal(request, fiscal_year: int | None = None):
    """Municipalities that held a case meeting in the fiscal year, out of all of them."""
    return queries.case_meeting_goal(fiscal_year=fiscal_year or fiscal_year_of(today()))


@router.get("/case-meetings", response=list[CaseMeetingOut])
def list_case_meetings(request, fiscal_year: int | None = None):
    meetings = CaseMeeting.objects.visible_to(request.auth)
    if fiscal_year is not None:
        meetings = meetings.filter(
            held_on__gte=dt.date(fiscal_year, 4, 1), held_on__lt=dt.date(fiscal_year + 1, 4, 1)
        )
    return meetings


@router.post("/case-meetings", response=CaseMeetingOut)
def record_case_meeting(request, payload: CaseMeetingIn):
    _deny_unless(can_record_case_meeting(request.auth))
    municipality = Municipality.objects.filter(pk=payload.municipality_id).first()
    if municipality is None:
        raise ValidationError({"municipality_id": _("Unknown municipality.")})
    return services.record_case_meeting(
        municipality=municipality, held_on=payload.held_on, remarks=payload.remarks, by=request.auth
    )


# --- lecturer dispatches ------------------------------------------------------------------


@router.get("/dispatches", response=list[DispatchOut])
def list_dispatches(request, fiscal_year: int | None = None):
    dispatches = LecturerDispatch.objects.visible_to(request.auth).prefetch_related(
        Prefetch("staff", queryset=User.objects.order_by("id"))
    )
    if fiscal_year is not None:
        start, end = fiscal_year_bounds(fiscal_year)
        dispatches = dispatches.filter(starts_at__gte=start, starts_at__lt=end)
    return dispatches


@router.post("/dispatches", response=DispatchOut)
def record_lecturer_dispatch(request, payload: DispatchIn):
    _deny_unless(can_manage_dispatches(request.auth))
    municipality = None
    if payload.municipality_id is not None:
        municipality = Municipality.objects.filter(pk=payload.municipality_id).first()
        if municipality is None:
            raise ValidationError({"municipality_id": _("Unknown municipality.")})
    return services.record_lecturer_dispatch(
        title=payload.title,
        host=payload.host,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        municipality=municipality,
        place=payload.place,
        staff=_center_staff(payload.staff_ids),
        by=request.auth,
    )


@router.post("/dispatches/{dispatch_id}/cancel", response=DispatchOut)
def cancel_lecturer_dispatch(request, dispatch_id: int):
    dispatch = get_object_or_404(LecturerDispatch.objects.visible_to(request.auth), pk=dispatch_id)
    _deny_unless(can_manage_dispatches(request.auth))
    return services.cancel_lecturer_dispatch(dispatch=dispatch, by=request.auth)


# --- block liaison meetings ---------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    ical_uid: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    status: str
    block_id: int | None
    co_host_district_id: int | None
    invited_organization_kinds: list[str]

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)


class CadenceOut(Schema):
    block_id: int
    block_name: str
    expected: int
    held: int
    scheduled: int
    flagged: bool
    meetings_held: list[MeetingOut]
    meetings_scheduled: list[MeetingOut]

    @staticmethod
    def resolve_block_id(obj):
        return obj.block.pk

    @staticmethod
    def resolve_block_name(obj):
        return obj.block.name

    @staticmethod
    def resolve_held(obj):
        return obj.held_count

    @staticmethod
    def resolve_scheduled(obj):
        return obj.scheduled_count

    @staticmethod
    def resolve_meetings_held(obj):
        return obj.held

    @staticmethod
    def resolve_meetings_scheduled(obj):
        return obj.scheduled


class CadenceIn(Schema):
    block_id: int
    fiscal_year: int
    expected: int


class LiaisonMeetingIn(Schema):
    block_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    venue: str
    co_host_district_id: int | None = None
    invited_organization_kinds: list[str] = []
    title: str = ""
    staff_ids: list[int] = []


@router.get("/liaison-cadence", response=list[CadenceOut])
def get_liaison_cadence(request, fiscal_year: int | None = None, as_of: dt.date | None = None):
    """Per block: held / expected liaison meetings, the scheduled ones apart, and the flag for
    a block without a second meeting by the start of the third quarter."""
    as_of = as_of or today()
    return queries.liaison_cadence(fiscal_year=fiscal_year or fiscal_year_of(as_of), as_of=as_of)


@router.post("/liaison-cadence", response=CadenceIn)
def set_liaison_cadence(request, payload: CadenceIn):
    _deny_unless(can_plan_liaison_meetings(request.auth))
    block = Block.objects.filter(pk=payload.block_id).first()
    if block is None:
        raise ValidationError({"block_id": _("Unknown block.")})
    cadence = services.set_meeting_cadence(
        block=block, fiscal_year=payload.fiscal_year, expected=payload.expected, by=request.auth
    )
    return {"block_id": block.pk, "fiscal_year": cadence.fiscal_year, "expected": cadence.expected}


@router.post("/liaison-meetings", response=MeetingOut)
def plan_liaison_meeting(request, payload: LiaisonMeetingIn):
    """Plan a block liaison meeting (a training event of kind liaison meeting)."""
    _deny_unless(can_plan_liaison_meetings(request.auth))
    block = Block.objects.filter(pk=payload.block_id).first()
    if block is None:
        raise ValidationError({"block_id": _("Unknown block.")})
    district = None
    if payload.co_host_district_id is not None:
        district = District.objects.filter(pk=payload.co_host_district_id).first()
        if district is None:
            raise ValidationError({"co_host_district_id": _("Unknown district.")})
    return services.plan_liaison_meeting(
        block=block,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        venue=payload.venue,
        co_host_district=district,
        invited_organization_kinds=payload.invited_organization_kinds,
        title=payload.title,
        staff=_center_staff(payload.staff_ids),
        by=request.auth,
    )


# --- planning calendar --------------------------------------------------------------------


class CalendarItemOut(Schema):
    kind: str
    title: str
    starts_at: dt.datetime
    url: str
    cancelled: bool

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)


class CalendarDayOut(Schema):
    date: dt.date
    holiday: str | None
    items: list[CalendarItemOut]


@router.get("/calendar", response=list[CalendarDayOut])
def get_calendar(
    request,
    date: dt.date | None = None,
    view: str = "month",
    block_id: int | None = None,
    kind: str | None = None,
    staff_id: int | None = None,
):
    """The planning calendar as data: every day of the month (or week) around ``date`` with
    its holiday name and its trainings, liaison meetings, visits and lecturer dispatches."""
    if view not in ("month", "week"):
        raise ValidationError({"view": _("Choose month or week.")})
    if kind and kind not in dict(planning.ITEM_KINDS):
        raise ValidationError({"kind": _("Unknown kind of calendar item.")})
    calendar_view = planning.CalendarView(
        mode=view, anchor=date or today(), block_id=block_id, kind=kind, staff_id=staff_id
    )
    return planning.calendar_days(calendar_view, user=request.auth)
