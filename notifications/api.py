"""The outbox over the API: what was sent, what is due, what failed. Center staff only."""

import datetime as dt
import re
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from core.inputs import MAX_REMINDER_DAYS, Choice, Id, InputSchema, Integer, Text, column
from core.pagination import Pagination, QueryFilter
from directory.auth import staff_auth
from notifications.models import Dispatch, ReminderDays
from notifications.permissions import (
    can_change_reminder_days,
    can_retry_dispatch,
    can_view_outbox,
)
from notifications.registry import all_kinds
from notifications.services import reminder_settings, retry_dispatch, set_reminder_days
from notifications.topics import MAX_PK_DIGITS

router = Router(auth=staff_auth, tags=["notifications"])


class DispatchOut(Schema):
    id: int
    kind: str
    kind_label: str
    topic: str
    object_type: str = Field(alias="content_type.model")
    object_id: int
    recipient: str
    recipient_name: str
    language: str
    due_at: dt.datetime
    state: str
    reason: str
    attempts: int
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    subject: str
    last_error: str


class KindOut(Schema):
    code: str
    label: str
    grace_minutes: int
    max_attempts: int


class OutboxFilter(QueryFilter):
    state: Choice(Dispatch.State) | None = None
    kind: Text(100) | None = None
    topic: Text(200) | None = Field(None, description='"training.event:12": all about event 12')


def _outbox(request):
    if not can_view_outbox(request.auth):
        raise Http404
    return Dispatch.objects.visible_to(request.auth).select_related("content_type")


@router.get("/dispatches", response=list[DispatchOut])
@paginate(Pagination)
def list_dispatches(request, filters: Query[OutboxFilter]):
    """Newest due time first. ``topic`` is "training.event:12" for everything about event 12."""
    return filters.filter(_outbox(request).order_by("-due_at", "-id"))


@router.get("/dispatches/{dispatch_id}", response=DispatchOut)
def get_dispatch(request, dispatch_id: Id):
    return get_object_or_404(_outbox(request), pk=dispatch_id)


@router.post("/dispatches/{dispatch_id}/retry", response=DispatchOut)
def retry(request, dispatch_id: Id):
    """Send a failed or missed message again now."""
    dispatch = get_object_or_404(_outbox(request), pk=dispatch_id)
    if not can_retry_dispatch(request.auth, dispatch):
        raise PermissionDenied
    return retry_dispatch(dispatch=dispatch)


@router.get("/kinds", response=list[KindOut])
def list_kinds(request):
    if not can_view_outbox(request.auth):
        raise Http404
    return [
        KindOut(
            code=kind.code,
            label=str(kind.label or kind.code),
            grace_minutes=int(kind.grace.total_seconds() // 60),
            max_attempts=kind.max_attempts,
        )
        for kind in all_kinds()
    ]


class ReminderSettingOut(Schema):
    kind: str
    label: str
    days: list[int]
    default: list[int]


def _reminder_kinds(schema: dict, _cls=None) -> None:
    """The document states the kinds whose days staff may choose (an enum, read from the
    registry when the document is built) and, per kind, the topics it takes ("training.event:12";
    a row that does not exist is still a 422 naming ``topic``)."""
    kinds = [kind for kind in all_kinds() if kind.days_before is not None]
    schema["properties"]["kind"]["enum"] = [kind.code for kind in kinds]
    schema["oneOf"] = [
        {
            "properties": {
                "kind": {"const": kind.code},
                "topic": {
                    "pattern": "^"
                    + re.escape(kind.topic_model or kind.app)
                    + ("" if kind.topic_model else r"\.[a-z_]+")
                    + f":[1-9][0-9]{{0,{MAX_PK_DIGITS - 1}}}$"
                },
            }
        }
        for kind in kinds
    ]


class ReminderDaysIn(InputSchema):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_reminder_kinds)

    topic: column(ReminderDays, "topic", required=True)
    kind: column(ReminderDays, "kind", required=True)
    days: Annotated[list[Integer(0, MAX_REMINDER_DAYS)], Field(max_length=30)]


@router.get("/reminder-days", response=list[ReminderSettingOut])
def get_reminder_days(request, topic: Text(200, required=True)):
    """The reminder days of a topic ("training.event:12"), per configurable kind."""
    if not can_view_outbox(request.auth):
        raise Http404
    return reminder_settings(topic=topic)


@router.put("/reminder-days", response=list[ReminderSettingOut])
def put_reminder_days(request, payload: ReminderDaysIn):
    """Choose the days before (an empty list: no reminder); pending reminders move at once."""
    if not can_view_outbox(request.auth):
        raise Http404
    if not can_change_reminder_days(request.auth):
        raise PermissionDenied
    set_reminder_days(kind=payload.kind, topic=payload.topic, days=payload.days)
    return reminder_settings(topic=payload.topic)
