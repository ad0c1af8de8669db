"""The planning calendar as data."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from core.fiscal import today
from core.inputs import Date, Id, Text
from supervision import planning
from supervision.api.schemas import (
    CalendarDayOut,
)

router = Router()


@router.get("/calendar", response=list[CalendarDayOut])
def get_calendar(
    request,
    date: Date | None = None,
    view: Text(10) = "month",
    block_id: Id | None = None,
    kind: Text(30) | None = None,
    staff_id: Id | None = None,
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
