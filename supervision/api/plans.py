"""Yearly plans and their revisions."""

from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import Id
from core.pagination import Pagination
from core.usecases import load_visible
from supervision import services
from supervision.api.filters import PlanFilter
from supervision.api.schemas import (
    PlanDetailOut,
    PlanIn,
    PlanOut,
    RevisionOut,
)
from supervision.models import Plan, PlanRevision

router = Router()


@router.get("/plans", response=list[PlanOut])
@paginate(Pagination)
def list_plans(request, filters: Query[PlanFilter]):
    """The plans of a fiscal year (required) for the targets the user may see."""
    plans = Plan.objects.visible_to(request.auth).order_by("target_id", "id")
    return filters.filter(plans).with_target()


@router.post("/plans", response=PlanDetailOut)
def set_plan(request, payload: PlanIn):
    """Create or revise the plan of a target for a fiscal year (a reason is required for a
    revision)."""
    return services.set_plan(actor=request.auth, **payload.dict())


@router.get("/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: Id):
    return load_visible(Plan.objects.visible_to(request.auth).with_target(), plan_id)


@router.get("/plans/{plan_id}/revisions", response=list[RevisionOut])
@paginate(Pagination)
def list_plan_revisions(request, plan_id: Id):
    plan = load_visible(Plan.objects.visible_to(request.auth), plan_id)
    return PlanRevision.objects.filter(plan=plan).select_related("revised_by")
