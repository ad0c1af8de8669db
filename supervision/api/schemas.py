"""The supervision API's request and response schemas."""

import datetime as dt

from ninja import Field, Schema

from core.fiscal import TOKYO
from supervision.models import VisitPostponement
from supervision.permissions import can_read_confidential_notes


def _tokyo(value: dt.datetime) -> dt.datetime:
    """Times are answered in Tokyo time (+09:00), as people read them."""
    return value.astimezone(TOKYO)


class TargetOut(Schema):
    id: int
    kind: str
    name: str
    municipality_id: int | None
    district_id: int | None
    organization_id: int | None


class TargetIn(Schema):
    municipality_id: int | None = None
    district_id: int | None = None
    organization_id: int | None = None


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


class PlanIn(Schema):
    target_id: int
    fiscal_year: int
    planned: int
    reason: str = ""


class StaffOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class PostponementOut(Schema):
    old_starts_at: dt.datetime
    new_starts_at: dt.datetime
    reason: str
    postponed_at: dt.datetime

    @staticmethod
    def resolve_old_starts_at(obj):
        return _tokyo(obj.old_starts_at)

    @staticmethod
    def resolve_new_starts_at(obj):
        return _tokyo(obj.new_starts_at)


class VisitOut(Schema):
    id: int
    ical_uid: str
    target_id: int
    target_name: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
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
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)

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


class VisitIn(Schema):
    target_id: int
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    staff_ids: list[int] = []
    public_summary: str = ""
    confidential_notes: str = ""


class SeriesIn(Schema):
    target_id: int
    kind: str
    starts_at: list[dt.datetime]
    minutes: int = Field(120, ge=15, le=24 * 60)
    place: str = ""
    staff_ids: list[int] = []


class CompleteIn(Schema):
    public_summary: str = ""
    confidential_notes: str | None = None


class CancelIn(Schema):
    reason: str


class PostponeIn(Schema):
    new_starts_at: dt.datetime
    new_ends_at: dt.datetime | None = None
    reason: str = ""


class VisitChangeIn(Schema):
    place: str | None = None
    staff_ids: list[int] | None = None
    public_summary: str | None = None
    confidential_notes: str | None = None


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


class CaseMeetingIn(Schema):
    municipality_id: int
    held_on: dt.date
    remarks: str = ""


class CaseMeetingOut(Schema):
    id: int
    municipality_id: int
    held_on: dt.date
    remarks: str


class DispatchIn(Schema):
    title: str
    host: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    municipality_id: int | None = None
    place: str = ""
    staff_ids: list[int] = []


class DispatchOut(Schema):
    id: int
    ical_uid: str
    title: str
    host: str
    municipality_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    status: str
    staff: list[StaffOut]
    sequence: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.all()


# --- block liaison meetings ---


class MeetingOut(Schema):
    id: int
    ical_uid: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    status: str
    block_id: int | None
    co_host_district_id: int | None
    invited_organization_kinds: list[str]

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj):
        return _tokyo(obj.ends_at)


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


class CadenceIn(Schema):
    block_id: int
    fiscal_year: int
    expected: int


class LiaisonMeetingIn(Schema):
    block_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    venue: str
    co_host_district_id: int | None = None
    invited_organization_kinds: list[str] = []
    title: str = ""
    staff_ids: list[int] = []


# --- planning calendar ---


class CalendarItemOut(Schema):
    kind: str
    title: str
    starts_at: dt.datetime
    url: str
    cancelled: bool

    @staticmethod
    def resolve_starts_at(obj):
        return _tokyo(obj.starts_at)


class CalendarDayOut(Schema):
    date: dt.date
    holiday: str | None
    items: list[CalendarItemOut]
