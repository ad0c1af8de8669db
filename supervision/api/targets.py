"""Targets, their progress and the case-meeting goal."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from core.fiscal import fiscal_year_of, today
from core.inputs import Date, FiscalYear, Id, Text
from directory.models import District, Municipality, PartnerOrganization
from supervision import queries, services
from supervision.api.common import (
    deny_unless,
    filter_targets,
)
from supervision.api.schemas import (
    CaseMeetingGoalOut,
    CaseMeetingIn,
    CaseMeetingOut,
    ProgressOut,
    TargetIn,
    TargetOut,
)
from supervision.models import CaseMeeting
from supervision.permissions import (
    can_plan_visits,
    can_record_case_meeting,
)

router = Router()


@router.get("/targets", response=list[TargetOut])
def list_targets(
    request, kind: Text(30) | None = None, block_id: Id | None = None, district_id: Id | None = None
):
    return filter_targets(
        request, block_id=block_id, district_id=district_id, kind=kind
    ).select_related("municipality", "district", "organization")


@router.post("/targets", response={200: TargetOut})
def create_target(request, payload: TargetIn):
    deny_unless(can_plan_visits(request.auth))
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


# --- progress -----------------------------------------------------------------------------


@router.get("/progress", response=list[ProgressOut])
def get_progress(
    request,
    fiscal_year: FiscalYear | None = None,
    as_of: Date | None = None,
    block_id: Id | None = None,
    district_id: Id | None = None,
    kind: Text(30) | None = None,
):
    """「実施済／予定」 per target with a plan, at-risk targets first. ``as_of`` defaults to
    today, ``fiscal_year`` to the fiscal year of ``as_of``."""
    as_of = as_of or today()
    fiscal_year = fiscal_year or fiscal_year_of(as_of)
    targets = filter_targets(request, block_id=block_id, district_id=district_id, kind=kind)
    items = queries.progress(fiscal_year=fiscal_year, as_of=as_of, targets=targets)
    # Built directly rather than validated item by item against ProgressOut (which documents
    # it): with 1,741 targets the validation took as long as the query itself.
    fields = list(ProgressOut.model_fields)
    return JsonResponse(
        [{name: getattr(item, name) for name in fields} for item in items], safe=False
    )


# --- the case-meeting goal ----------------------------------------------------------------


@router.get("/case-meeting-goal", response=CaseMeetingGoalOut)
def get_case_meeting_goal(request, fiscal_year: FiscalYear | None = None):
    """Municipalities that held a case meeting in the fiscal year, out of all of them."""
    return queries.case_meeting_goal(fiscal_year=fiscal_year or fiscal_year_of(today()))


@router.get("/case-meetings", response=list[CaseMeetingOut])
def list_case_meetings(request, fiscal_year: FiscalYear | None = None):
    meetings = CaseMeeting.objects.visible_to(request.auth)
    if fiscal_year is not None:
        meetings = meetings.filter(
            held_on__gte=dt.date(fiscal_year, 4, 1), held_on__lt=dt.date(fiscal_year + 1, 4, 1)
        )
    return meetings


@router.post("/case-meetings", response=CaseMeetingOut)
def record_case_meeting(request, payload: CaseMeetingIn):
    deny_unless(can_record_case_meeting(request.auth))
    municipality = Municipality.objects.filter(pk=payload.municipality_id).first()
    if municipality is None:
        raise ValidationError({"municipality_id": _("Unknown municipality.")})
    return services.record_case_meeting(
        municipality=municipality, held_on=payload.held_on, remarks=payload.remarks, by=request.auth
    )
