"""The supervision API's request and response schemas."""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict

from core.dates import TokyoTime
from core.inputs import (
    MAX_PLANNED_VISITS,
    MAX_SERIES_VISITS,
    Choice,
    Date,
    DateTime,
    FiscalYear,
    Id,
    IdList,
    InputSchema,
    Integer,
    Text,
    column,
)
from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    PlanRevision,
    Visit,
    VisitPostponement,
)
from supervision.permissions import can_read_confidential_notes

CANCEL_REASON = gettext_lazy("Say why the visit is cancelled.")
REOPEN_REASON = gettext_lazy("Say why the visit is reopened.")


class TargetOut(Schema):
    id: int
    kind: str
    name: str
    municipality_id: int | None
    district_id: int | None
    organization_id: int | None


def _exactly_one(*names: str) -> dict:
    """The JSON Schema of "exactly one of these is given (and not null)"."""
    return {
        "oneOf": [
            {
                "required": [name],
                "properties": {
                    other: {"type": "integer"} if other == name else {"type": "null"}
                    for other in names
                },
            }
            for name in names
        ]
    }


class TargetIn(InputSchema):
    """Exactly one of ``municipality_id``, ``district_id`` and ``organization_id``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=_exactly_one("municipality_id", "district_id", "organization_id"),
    )

    municipality_id: Id | None = None
    district_id: Id | None = None
    organization_id: Id | None = None


class RevisionOut(Schema):
    revised_at: dt.datetime
    revised_by: str | None
    old_planned: int | None
    new_planned: int
    reason: str

    @staticmethod
    def resolve_revised_by(obj):
        return str(obj.revised_by) if obj.revised_by else None


class PlanOut(Schema):
    id: int
    target_id: int
    target_name: str
    fiscal_year: int
    planned: int

    @staticmethod
    def resolve_target_name(obj):
        return obj.target.name


class PlanDetailOut(PlanOut):
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_revisions(obj):
        return obj.revisions.select_related("revised_by")


class PlanIn(InputSchema):
    target_id: Id
    fiscal_year: FiscalYear
    planned: Integer(0, MAX_PLANNED_VISITS)
    reason: column(PlanRevision, "reason") = ""


class StaffOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class PostponementOut(Schema):
    old_starts_at: TokyoTime
    new_starts_at: TokyoTime
    reason: str
    postponed_at: dt.datetime


class VisitOut(Schema):
    id: int
    ical_uid: str
    target_id: int
    target_name: str
    kind: str
    starts_at: TokyoTime
    ends_at: TokyoTime
    fiscal_year: int
    place: str
    status: str
    staff: list[StaffOut]
    public_summary: str
    confidential_notes: str | None = Field(
        None, description="Center staff only; null for everyone else."
    )
    cancel_reason: str
    cancelled_at: dt.datetime | None
    completed_at: dt.datetime | None
    sequence: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_target_name(obj):
        return obj.target.name

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.all()

    @staticmethod
    def resolve_confidential_notes(obj, context):
        if can_read_confidential_notes(context["request"].auth):
            return obj.confidential_notes
        return None


class VisitDetailOut(VisitOut):
    postponements: list[PostponementOut]

    @staticmethod
    def resolve_postponements(obj):
        return VisitPostponement.objects.filter(visit=obj)


class WarningOut(Schema):
    code: str
    message: str


class ScheduledOut(Schema):
    visit: VisitOut
    warnings: list[WarningOut]


class SeriesOut(Schema):
    visits: list[VisitOut]
    warnings: list[WarningOut]


StaffIds = IdList(50)


class VisitIn(InputSchema):
    target_id: Id
    kind: Choice(Visit.Kind)
    starts_at: DateTime
    ends_at: DateTime | None = None
    place: column(Visit, "place") = ""
    staff_ids: StaffIds = []
    public_summary: column(Visit, "public_summary") = ""
    confidential_notes: column(Visit, "confidential_notes") = ""


class SeriesIn(InputSchema):
    target_id: Id
    kind: Choice(Visit.Kind)
    starts_at: Annotated[
        list[DateTime],
        Field(min_length=1, max_length=MAX_SERIES_VISITS, json_schema_extra={"uniqueItems": True}),
    ]
    minutes: Integer(15, 24 * 60) = 120
    place: column(Visit, "place") = ""
    staff_ids: StaffIds = []


class CompleteIn(InputSchema):
    public_summary: column(Visit, "public_summary") = ""
    confidential_notes: column(Visit, "confidential_notes") | None = None


class VisitCancelIn(InputSchema):
    reason: column(Visit, "cancel_reason", required=True, blank_message=CANCEL_REASON)


class ReopenIn(InputSchema):
    reason: Text(500, required=True, blank_message=REOPEN_REASON)


class PostponeIn(InputSchema):
    new_starts_at: DateTime
    new_ends_at: DateTime | None = None
    reason: column(VisitPostponement, "reason") = ""


class VisitChangeIn(InputSchema):
    place: column(Visit, "place") | None = None
    staff_ids: StaffIds | None = None
    public_summary: column(Visit, "public_summary") | None = None
    confidential_notes: column(Visit, "confidential_notes") | None = None


class ProgressOut(Schema):
    target_id: int
    kind: str
    name: str
    planned: int
    done: int
    scheduled: int
    overdue: int
    at_risk: bool
    last_done_on: dt.date | None
    days_since_last_done: int | None
    expected_by_now: float


class MunicipalityRef(Schema):
    id: int
    name: str


class CaseMeetingGoalOut(Schema):
    fiscal_year: int
    count: int
    total: int
    held: list[MunicipalityRef]
    without: list[MunicipalityRef]


class CaseMeetingIn(InputSchema):
    municipality_id: Id
    held_on: Date
    remarks: column(CaseMeeting, "remarks") = ""


class CaseMeetingOut(Schema):
    id: int
    municipality_id: int
    held_on: dt.date
    remarks: str


class LecturerDispatchIn(InputSchema):
    title: column(LecturerDispatch, "title")
    host: column(LecturerDispatch, "host")
    starts_at: DateTime
    ends_at: DateTime | None = None
    municipality_id: Id | None = None
    place: column(LecturerDispatch, "place") = ""
    staff_ids: StaffIds = []


class LecturerDispatchOut(Schema):
    id: int
    ical_uid: str
    title: str
    host: str
    municipality_id: int | None
    starts_at: TokyoTime
    ends_at: TokyoTime
    place: str
    status: str
    staff: list[StaffOut]
    sequence: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.all()


# --- block liaison meetings ---


class MeetingOut(Schema):
    id: int
    ical_uid: str
    title: str
    starts_at: TokyoTime
    ends_at: TokyoTime
    venue: str
    status: str
    block_id: int | None
    co_host_district_id: int | None
    invited_organization_kinds: list[str]


class CadenceOut(Schema):
    block_id: int
    block_name: str
    expected: int
    held: int
    scheduled: int
    flagged: bool
    meetings_held: list[MeetingOut]
    meetings_scheduled: list[MeetingOut]

    @staticmethod
    def resolve_block_id(obj):
        return obj.block.pk

    @staticmethod
    def resolve_block_name(obj):
        return obj.block.name

    @staticmethod
    def resolve_held(obj):
        return obj.held_count

    @staticmethod
    def resolve_scheduled(obj):
        return obj.scheduled_count

    @staticmethod
    def resolve_meetings_held(obj):
        return obj.held

    @staticmethod
    def resolve_meetings_scheduled(obj):
        return obj.scheduled


class CadenceIn(InputSchema):
    block_id: Id
    fiscal_year: FiscalYear
    expected: Integer(0, 100)


class LiaisonMeetingIn(InputSchema):
    block_id: Id
    starts_at: DateTime
    ends_at: DateTime | None = None
    venue: Text(200)
    co_host_district_id: Id | None = None
    invited_organization_kinds: Annotated[list[Text(30)], Field(max_length=20)] = []
    title: Text(200) = ""
    staff_ids: StaffIds = []


# --- planning calendar ---


class CalendarItemOut(Schema):
    kind: str
    title: str
    starts_at: TokyoTime
    url: str
    cancelled: bool


class CalendarDayOut(Schema):
    date: dt.date
    holiday: str | None
    items: list[CalendarItemOut]
