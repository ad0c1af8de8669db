"""Visits: schedule, series, revise, complete, cancel, postpone; scheduling warnings."""

import datetime as dt

from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import DateTime, Id
from core.pagination import Pagination
from supervision import queries, services
from supervision.api.common import (
    NO_STAFF,
    center_staff,
    deny_unless,
    visible_target,
    visit_or_404,
    visits_for,
)
from supervision.api.filters import VisitFilter
from supervision.api.schemas import (
    CompleteIn,
    PostponeIn,
    ScheduledOut,
    SeriesIn,
    SeriesOut,
    VisitCancelIn,
    VisitChangeIn,
    VisitDetailOut,
    VisitIn,
    VisitOut,
    WarningOut,
)
from supervision.permissions import (
    can_manage_visit,
    can_plan_visits,
)

router = Router()


@router.get("/visits", response=list[VisitOut])
@paginate(Pagination)
def list_visits(request, filters: Query[VisitFilter]):
    """The visits the user may see, soonest first; ``fiscal_year``, ``target_id``, ``status``
    and ``staff_id`` narrow them."""
    return filters.filter(visits_for(request)).order_by("starts_at", "id")


@router.post("/visits", response=ScheduledOut)
def schedule_visit(request, payload: VisitIn):
    deny_unless(can_plan_visits(request.auth))
    target = visible_target(request, payload.target_id)
    visit = services.schedule_visit(
        target=target,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        staff=center_staff(payload.staff_ids),
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
    return {"visit": visit_or_404(request, visit.pk), "warnings": warnings}


@router.post("/visits/series", response=SeriesOut)
def plan_visit_series(request, payload: SeriesIn):
    """Schedule several visits at once, each a visit of its own."""
    deny_unless(can_plan_visits(request.auth))
    target = visible_target(request, payload.target_id)
    visits = services.plan_visit_series(
        target=target,
        kind=payload.kind,
        starts_at=payload.starts_at,
        length=dt.timedelta(minutes=payload.minutes),
        place=payload.place,
        staff=center_staff(payload.staff_ids),
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
        "visits": list(visits_for(request).filter(pk__in=[v.pk for v in visits])),
        "warnings": warnings,
    }


@router.get("/visits/{visit_id}", response=VisitDetailOut)
def get_visit(request, visit_id: Id):
    return visit_or_404(request, visit_id)


@router.patch("/visits/{visit_id}", response=VisitDetailOut)
def revise_visit(request, visit_id: Id, payload: VisitChangeIn):
    visit = visit_or_404(request, visit_id)
    deny_unless(can_manage_visit(request.auth, visit))
    services.revise_visit_details(
        visit=visit,
        place=payload.place,
        staff=None if payload.staff_ids is None else center_staff(payload.staff_ids),
        public_summary=payload.public_summary,
        confidential_notes=payload.confidential_notes,
        by=request.auth,
    )
    return visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/complete", response=VisitDetailOut)
def complete_visit(request, visit_id: Id, payload: CompleteIn):
    visit = visit_or_404(request, visit_id)
    deny_unless(can_manage_visit(request.auth, visit))
    services.complete_visit(
        visit=visit,
        public_summary=payload.public_summary,
        confidential_notes=payload.confidential_notes,
        by=request.auth,
    )
    return visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/cancel", response=VisitDetailOut)
def cancel_visit(request, visit_id: Id, payload: VisitCancelIn):
    visit = visit_or_404(request, visit_id)
    deny_unless(can_manage_visit(request.auth, visit))
    services.cancel_visit(visit=visit, reason=payload.reason, by=request.auth)
    return visit_or_404(request, visit_id)


@router.post("/visits/{visit_id}/postpone", response=VisitDetailOut)
def postpone_visit(request, visit_id: Id, payload: PostponeIn):
    visit = visit_or_404(request, visit_id)
    deny_unless(can_manage_visit(request.auth, visit))
    services.postpone_visit(
        visit=visit,
        new_starts_at=payload.new_starts_at,
        new_ends_at=payload.new_ends_at,
        reason=payload.reason,
        by=request.auth,
    )
    return visit_or_404(request, visit_id)


@router.get("/scheduling-warnings", response=list[WarningOut])
def get_scheduling_warnings(
    request,
    starts_at: DateTime,
    ends_at: DateTime | None = None,
    staff_ids: Query[list[Id]] = NO_STAFF,
    exclude_visit_id: Id | None = None,
):
    """What scheduling at this time would clash with (holidays, 年末年始, staff already booked)."""
    deny_unless(can_plan_visits(request.auth))
    return queries.scheduling_warnings(
        starts_at=starts_at, ends_at=ends_at, staff_ids=staff_ids, exclude_visit_id=exclude_visit_id
    )
