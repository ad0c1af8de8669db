"""The planning calendar as data."""

from typing import Literal

from ninja import Router

from core.fiscal import today
from core.inputs import Date, Id
from supervision import planning
from supervision.api.schemas import (
    CalendarDayOut,
)

router = Router()


@router.get("/calendar", response=list[CalendarDayOut])
def get_calendar(
    request,
    date: Date | None = None,
    view: Literal["month", "week"] = "month",
    block_id: Id | None = None,
    kind: Literal[tuple(dict(planning.ITEM_KINDS))] | None = None,
    staff_id: Id | None = None,
):
    """The planning calendar as data: every day of the month (or week) around ``date`` with
    its holiday name and its trainings, liaison meetings, visits and lecturer dispatches.
    ``view`` and ``kind`` take the values the document lists (an empty one is refused)."""
    calendar_view = planning.CalendarView(
        mode=view, anchor=date or today(), block_id=block_id, kind=kind, staff_id=staff_id
    )
    return planning.calendar_days(calendar_view, user=request.auth)
