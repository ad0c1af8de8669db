"""Lecturer dispatches (講師派遣)."""

from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import Id
from core.pagination import Pagination
from core.usecases import load_visible
from supervision import services
from supervision.api.filters import DispatchFilter
from supervision.api.schemas import (
    LecturerDispatchIn,
    LecturerDispatchOut,
)
from supervision.models import LecturerDispatch

router = Router()


def dispatches_for(request):
    return LecturerDispatch.objects.visible_to(request.auth).with_staff_in_order()


@router.get("/dispatches", response=list[LecturerDispatchOut])
@paginate(Pagination)
def list_dispatches(request, filters: Query[DispatchFilter]):
    """Lecturer dispatches, soonest first; ``fiscal_year`` narrows them."""
    return filters.filter(dispatches_for(request).order_by("starts_at", "id"))


@router.post("/dispatches", response=LecturerDispatchOut)
def record_lecturer_dispatch(request, payload: LecturerDispatchIn):
    dispatch = services.record_lecturer_dispatch(actor=request.auth, **payload.dict())
    return load_visible(dispatches_for(request), dispatch.pk)


@router.get("/dispatches/{dispatch_id}", response=LecturerDispatchOut)
def get_lecturer_dispatch(request, dispatch_id: Id):
    return load_visible(dispatches_for(request), dispatch_id)


@router.put("/dispatches/{dispatch_id}", response=LecturerDispatchOut)
def revise_lecturer_dispatch(request, dispatch_id: Id, payload: LecturerDispatchIn):
    """Change a dispatch: every field as in ``POST /dispatches`` (a new time or place raises
    its calendar sequence); a cancelled one is a 409."""
    services.revise_lecturer_dispatch(actor=request.auth, dispatch_id=dispatch_id, **payload.dict())
    return load_visible(dispatches_for(request), dispatch_id)


@router.post("/dispatches/{dispatch_id}/cancel", response=LecturerDispatchOut)
def cancel_lecturer_dispatch(request, dispatch_id: Id):
    services.cancel_lecturer_dispatch(actor=request.auth, dispatch_id=dispatch_id)
    return load_visible(dispatches_for(request), dispatch_id)
