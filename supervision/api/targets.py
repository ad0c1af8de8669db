"""Targets, their progress and the case-meeting goal."""

import json

from django.http import HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from core.fiscal import fiscal_year_of, today
from core.inputs import Date, FiscalYear
from core.pagination import Pagination
from supervision import queries, services
from supervision.api.filters import CaseMeetingFilter, TargetFilter
from supervision.api.schemas import (
    CaseMeetingGoalOut,
    CaseMeetingIn,
    CaseMeetingOut,
    ProgressOut,
    TargetIn,
    TargetOut,
)
from supervision.models import CaseMeeting, Target

router = Router()


@router.get("/targets", response=list[TargetOut])
@paginate(Pagination)
def list_targets(request, filters: Query[TargetFilter]):
    """The targets the user may see, by kind; ``kind``, ``block_id`` and ``district_id``
    narrow them."""
    targets = Target.objects.visible_to(request.auth).order_by("kind", "id")
    return filters.filter(targets).with_names()


@router.post("/targets", response={200: TargetOut})
def create_target(request, payload: TargetIn):
    return services.create_target(actor=request.auth, **payload.dict())


# --- progress -----------------------------------------------------------------------------


@router.get("/progress", response=list[ProgressOut])
@paginate(Pagination)
def get_progress(
    request,
    filters: Query[TargetFilter],
    fiscal_year: FiscalYear | None = None,
    as_of: Date | None = None,
):
    """「実施済／予定」 per target with a plan, at-risk targets first. ``as_of`` defaults to
    today, ``fiscal_year`` to the fiscal year of ``as_of`` (they say when, not which
    targets); ``kind``, ``block_id`` and ``district_id`` narrow the targets. Every target's
    progress is computed for the order, then one page of it answered."""
    return _progress(request, filters, fiscal_year, as_of)


@router.get("/progress/export", response=list[ProgressOut])
def export_progress(
    request,
    filters: Query[TargetFilter],
    fiscal_year: FiscalYear | None = None,
    as_of: Date | None = None,
):
    """The complete read: every target's progress in one answer, in the order and with the
    parameters of ``/progress``. Reading ``/progress`` page by page computes every target's
    progress once per page (the order needs all of them); this computes it once (the answer
    holds one item per target with a plan: a prefecture's few hundred, 1,741 at most).
    Written as JSON directly, field by field of ``ProgressOut`` (the items are the service's
    own typed rows): validating 1,741 items on the way out cost more than computing them."""
    items = _progress(request, filters, fiscal_year, as_of)
    rows = [{name: getattr(item, name) for name in PROGRESS_FIELDS} for item in items]
    return HttpResponse(json.dumps(rows, cls=NinjaJSONEncoder), content_type="application/json")


PROGRESS_FIELDS = tuple(ProgressOut.model_fields)


def _progress(request, filters, fiscal_year, as_of):
    as_of = as_of or today()
    fiscal_year = fiscal_year or fiscal_year_of(as_of)
    targets = filters.filter(Target.objects.visible_to(request.auth))
    return queries.progress(fiscal_year=fiscal_year, as_of=as_of, targets=targets)


# --- the case-meeting goal ----------------------------------------------------------------


@router.get("/case-meeting-goal", response=CaseMeetingGoalOut)
def get_case_meeting_goal(request, fiscal_year: FiscalYear | None = None):
    """Municipalities that held a case meeting in the fiscal year, out of all of them."""
    return queries.case_meeting_goal(fiscal_year=fiscal_year or fiscal_year_of(today()))


@router.get("/case-meetings", response=list[CaseMeetingOut])
@paginate(Pagination)
def list_case_meetings(request, filters: Query[CaseMeetingFilter]):
    meetings = CaseMeeting.objects.visible_to(request.auth).order_by("held_on", "id")
    return filters.filter(meetings)


@router.post("/case-meetings", response=CaseMeetingOut)
def record_case_meeting(request, payload: CaseMeetingIn):
    return services.record_case_meeting(actor=request.auth, **payload.dict())
