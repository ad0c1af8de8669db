"""Lecturer dispatches (講師派遣)."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from core.inputs import Id
from core.pagination import Pagination
from directory.models import Municipality, User
from supervision import services
from supervision.api.common import (
    center_staff,
    deny_unless,
)
from supervision.api.filters import DispatchFilter
from supervision.api.schemas import (
    LecturerDispatchIn,
    LecturerDispatchOut,
)
from supervision.models import LecturerDispatch
from supervision.permissions import (
    can_manage_dispatches,
)

router = Router()


@router.get("/dispatches", response=list[LecturerDispatchOut])
@paginate(Pagination)
def list_dispatches(request, filters: Query[DispatchFilter]):
    """Lecturer dispatches, soonest first; ``fiscal_year`` narrows them."""
    dispatches = LecturerDispatch.objects.visible_to(request.auth).order_by("starts_at", "id")
    return filters.filter(dispatches).prefetch_related(
        Prefetch("staff", queryset=User.objects.order_by("id"))
    )


@router.post("/dispatches", response=LecturerDispatchOut)
def record_lecturer_dispatch(request, payload: LecturerDispatchIn):
    deny_unless(can_manage_dispatches(request.auth))
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
        staff=center_staff(payload.staff_ids),
        by=request.auth,
    )


@router.post("/dispatches/{dispatch_id}/cancel", response=LecturerDispatchOut)
def cancel_lecturer_dispatch(request, dispatch_id: Id):
    dispatch = get_object_or_404(LecturerDispatch.objects.visible_to(request.auth), pk=dispatch_id)
    deny_unless(can_manage_dispatches(request.auth))
    return services.cancel_lecturer_dispatch(dispatch=dispatch, by=request.auth)
