"""Visits: schedule, series, revise, complete, cancel, postpone; scheduling warnings."""

import datetime as dt

from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import DateTime, Id
from core.pagination import Pagination
from core.usecases import allow, load_visible
from supervision import queries, services
from supervision.api.filters import VisitFilter
from supervision.api.schemas import (
    CompleteIn,
    PostponeIn,
    ReopenIn,
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
from supervision.models import Visit
from supervision.permissions import can_plan_visits

NO_STAFF: list[int] = []

router = Router()


def visits_for(request):
    return Visit.objects.visible_to(request.auth).with_people()


def shown(request, visit_id: int) -> Visit:
    """The visit as the answer shows it, read again after the change."""
    return load_visible(visits_for(request), visit_id)


@router.get("/visits", response=list[VisitOut])
@paginate(Pagination)
def list_visits(request, filters: Query[VisitFilter]):
    """The visits the user may see, soonest first; ``fiscal_year``, ``target_id``, ``status``
    and ``staff_id`` narrow them."""
    return filters.filter(visits_for(request)).order_by("starts_at", "id")


@router.post("/visits", response=ScheduledOut)
def schedule_visit(request, payload: VisitIn):
    visit = services.schedule_visit(actor=request.auth, **payload.dict())
    warnings = queries.scheduling_warnings(
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        staff_ids=payload.staff_ids,
        exclude_visit_id=visit.pk,
    )
    return {"visit": shown(request, visit.pk), "warnings": warnings}


@router.post("/visits/series", response=SeriesOut)
def plan_visit_series(request, payload: SeriesIn):
    """Schedule several visits at once, each a visit of its own."""
    visits = services.plan_visit_series(
        actor=request.auth,
        target_id=payload.target_id,
        kind=payload.kind,
        starts_at=payload.starts_at,
        length=dt.timedelta(minutes=payload.minutes),
        place=payload.place,
        staff_ids=payload.staff_ids,
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
    return shown(request, visit_id)


@router.patch("/visits/{visit_id}", response=VisitDetailOut)
def revise_visit(request, visit_id: Id, payload: VisitChangeIn):
    services.revise_visit_details(actor=request.auth, visit_id=visit_id, **payload.dict())
    return shown(request, visit_id)


@router.post("/visits/{visit_id}/complete", response=VisitDetailOut)
def complete_visit(request, visit_id: Id, payload: CompleteIn):
    services.complete_visit(actor=request.auth, visit_id=visit_id, **payload.dict())
    return shown(request, visit_id)


@router.post("/visits/{visit_id}/cancel", response=VisitDetailOut)
def cancel_visit(request, visit_id: Id, payload: VisitCancelIn):
    services.cancel_visit(actor=request.auth, visit_id=visit_id, reason=payload.reason)
    return shown(request, visit_id)


@router.post("/visits/{visit_id}/postpone", response=VisitDetailOut)
def postpone_visit(request, visit_id: Id, payload: PostponeIn):
    services.postpone_visit(actor=request.auth, visit_id=visit_id, **payload.dict())
    return shown(request, visit_id)


@router.post("/visits/{visit_id}/reopen", response=VisitDetailOut)
def reopen_visit(request, visit_id: Id, payload: ReopenIn):
    """Undo 「実施済」 or 「中止」 with a reason (kept in the visit's history): the visit is open
    again and no longer counts as done."""
    services.reopen_visit(actor=request.auth, visit_id=visit_id, reason=payload.reason)
    return shown(request, visit_id)


@router.get("/scheduling-warnings", response=list[WarningOut])
def get_scheduling_warnings(
    request,
    starts_at: DateTime,
    ends_at: DateTime | None = None,
    staff_ids: Query[list[Id]] = NO_STAFF,
    exclude_visit_id: Id | None = None,
):
    """What scheduling at this time would clash with (holidays, 年末年始, staff already booked)."""
    allow(request.auth, can_plan_visits(request.auth))
    return queries.scheduling_warnings(
        starts_at=starts_at, ends_at=ends_at, staff_ids=staff_ids, exclude_visit_id=exclude_visit_id
    )
