"""Block liaison meetings and their cadence."""

from ninja import Router

from core.fiscal import fiscal_year_of, today
from core.inputs import Date, FiscalYear
from supervision import queries, services
from supervision.api.schemas import (
    CadenceIn,
    CadenceOut,
    LiaisonMeetingIn,
    MeetingOut,
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
    cadence = services.set_meeting_cadence(actor=request.auth, **payload.dict())
    return {
        "block_id": cadence.block_id,
        "fiscal_year": cadence.fiscal_year,
        "expected": cadence.expected,
    }


@router.post("/liaison-meetings", response=MeetingOut)
def plan_liaison_meeting(request, payload: LiaisonMeetingIn):
    """Plan a block liaison meeting (a training event of kind liaison meeting)."""
    return services.plan_liaison_meeting(actor=request.auth, **payload.dict())
