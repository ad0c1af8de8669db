"""The planning calendar as data."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from core.fiscal import today
from supervision import planning
from supervision.api.schemas import (
    CalendarDayOut,
)

router = Router()


@router.get("/calendar", response=list[CalendarDayOut])
def get_calendar(
    request,
    date: dt.date | None = None,
    view: str = "month",
    block_id: int | None = None,
    kind: str | None = None,
    staff_id: int | None = None,
):
    """The planning calendar as data: every day of the month (or week) around ``date`` with
    its holiday name and its trainings, liaison meetings, visits and lecturer dispatches."""
    if view not in ("month", "week"):
        raise ValidationError({"view": _("Choose month or week.")})
    if kind and kind not in dict(planning.ITEM_KINDS):
        raise ValidationError({"kind": _("Unknown kind of calendar item.")})
    calendar_view = planning.CalendarView(
        mode=view, anchor=date or today(), block_id=block_id, kind=kind, staff_id=staff_id
    )
    return planning.calendar_days(calendar_view, user=request.auth)
