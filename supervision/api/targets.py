"""Targets, their progress and the case-meeting goal."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from core.fiscal import fiscal_year_of, today
from core.inputs import Date, FiscalYear
from core.pagination import Pagination
from directory.models import District, Municipality, PartnerOrganization
from supervision import queries, services
from supervision.api.common import deny_unless
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
from supervision.permissions import (
    can_plan_visits,
    can_record_case_meeting,
)

router = Router()


@router.get("/targets", response=list[TargetOut])
@paginate(Pagination)
def list_targets(request, filters: Query[TargetFilter]):
    """The targets the user may see, by kind; ``kind``, ``block_id`` and ``district_id``
    narrow them."""
    targets = Target.objects.visible_to(request.auth).order_by("kind", "id")
    return filters.filter(targets).select_related("municipality", "district", "organization")


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
    deny_unless(can_record_case_meeting(request.auth))
    municipality = Municipality.objects.filter(pk=payload.municipality_id).first()
    if municipality is None:
        raise ValidationError({"municipality_id": _("Unknown municipality.")})
    return services.record_case_meeting(
        municipality=municipality, held_on=payload.held_on, remarks=payload.remarks, by=request.auth
    )
