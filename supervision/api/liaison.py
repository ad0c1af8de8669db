"""Block liaison meetings and their cadence."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from core.fiscal import fiscal_year_of, today
from core.inputs import Date, FiscalYear
from directory.models import Block, District
from supervision import queries, services
from supervision.api.common import (
    center_staff,
    deny_unless,
)
from supervision.api.schemas import (
    CadenceIn,
    CadenceOut,
    LiaisonMeetingIn,
    MeetingOut,
)
from supervision.permissions import (
    can_plan_liaison_meetings,
)

router = Router()


@router.get("/liaison-cadence", response=list[CadenceOut])
def get_liaison_cadence(request, fiscal_year: FiscalYear | None = None, as_of: Date | None = None):
    """Per block: held / expected liaison meetings, the scheduled ones apart, and the flag for
    a block without a second meeting by the start of the third quarter."""
    as_of = as_of or today()
    return queries.liaison_cadence(fiscal_year=fiscal_year or fiscal_year_of(as_of), as_of=as_of)


@router.post("/liaison-cadence", response=CadenceIn)
def set_liaison_cadence(request, payload: CadenceIn):
    deny_unless(can_plan_liaison_meetings(request.auth))
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
    deny_unless(can_plan_liaison_meetings(request.auth))
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
        staff=center_staff(payload.staff_ids),
        by=request.auth,
    )
