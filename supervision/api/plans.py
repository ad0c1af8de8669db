"""Yearly plans and their revisions."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import Id
from core.pagination import Pagination
from supervision import services
from supervision.api.common import (
    TARGET_NAMES,
    deny_unless,
    visible_target,
)
from supervision.api.filters import PlanFilter
from supervision.api.schemas import (
    PlanDetailOut,
    PlanIn,
    PlanOut,
    RevisionOut,
)
from supervision.models import Plan, PlanRevision
from supervision.permissions import (
    can_plan_visits,
)

router = Router()


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request, filters: Query[PlanFilter]):
    """The plans of a fiscal year (required) for the targets the user may see."""
    plans = Plan.objects.visible_to(request.auth).order_by("target_id", "id")
    return filters.filter(plans).select_related(*TARGET_NAMES)


@router.post("/plans", response=PlanDetailOut)
def set_plan(request, payload: PlanIn):
    """Create or revise the plan of a target for a fiscal year (a reason is required for a
    revision)."""
    deny_unless(can_plan_visits(request.auth))
    target = visible_target(request, payload.target_id)
    return services.set_plan(
        target=target,
        fiscal_year=payload.fiscal_year,
        planned=payload.planned,
        reason=payload.reason,
        by=request.auth,
    )


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: Id):
    return get_object_or_404(
        Plan.objects.visible_to(request.auth).select_related(*TARGET_NAMES), pk=plan_id
    )


@router.get("/plans/{plan_id}/revisions", response=list[RevisionOut])
@paginate(Pagination)
def list_plan_revisions(request, plan_id: Id):
    plan = get_object_or_404(Plan.objects.visible_to(request.auth), pk=plan_id)
    return PlanRevision.objects.filter(plan=plan).select_related("revised_by")
