"""Rosters, check-in, online imports and counts over JSON, under /api/attendance/.

Rosters (names) are for center staff; every staff role may read counts, limited to people from
the municipalities in their scope. The check-in page uses ``POST entries/{id}/status``; the
QR check-in's endpoints are in ``attendance.door_api``.
"""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from attendance import permissions, queries, services
from attendance.door_api import router as door_router
from attendance.imports import MAX_BYTES
from attendance.models import (
    ImportedAttendee,
    OnlineImport,
    Roster,
    RosterChange,
    RosterEntry,
)
from core import uploads, vocabulary
from core.fiscal import fiscal_year_of, today
from core.inputs import Choice, FiscalYear, Id, IdList, InputSchema, Integer, ListedIn, column
from core.pagination import Pagination
from directory.auth import staff_auth
from directory.models import Municipality
from training.models import Event

router = Router(auth=staff_auth, tags=["attendance"])
router.add_router("", door_router)


def _event(request, event_id: Id) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.auth), pk=event_id)


def _roster_event(request, event_id: Id, check) -> Event:
    event = _event(request, event_id)
    if not check(request.auth, event):
        raise PermissionDenied
    return event


def _entry(request, entry_id: Id) -> RosterEntry:
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.auth).select_related("event"), pk=entry_id
    )
    if not permissions.can_record_attendance(request.auth, entry.event):
        raise PermissionDenied
    return entry


class EntryOut(Schema):
    id: int
    source: str
    name: str
    kana: str
    email: str
    affiliation_type: str
    organization: str
    municipality_id: int | None
    municipality: str | None
    job_title: str
    status: str
    status_label: str
    checked_in_at: dt.datetime | None
    attended_minutes: int | None
    recorded_by: str | None
    recorded_at: dt.datetime | None

    @staticmethod
    def resolve_municipality(obj):
        return obj.municipality.name if obj.municipality_id else None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_recorded_by(obj):
        return str(obj.recorded_by) if obj.recorded_by_id else None


class RosterOut(Schema):
    event_id: int
    title: str
    closed_at: dt.datetime | None
    minimum_minutes: int
    entries: list[EntryOut]


def _entries(event):
    entries = RosterEntry.objects.filter(event=event).select_related("municipality", "recorded_by")
    return sorted(entries, key=RosterEntry.sort_key)


@router.get("/events/{event_id}/roster", response=RosterOut)
def get_roster(request, event_id: Id):
    """The roster in 五十音順 (kana order)."""
    event = _roster_event(request, event_id, permissions.can_see_roster)
    roster = Roster.objects.filter(event=event).first() or Roster(event=event)
    return {
        "event_id": event.id,
        "title": str(event),
        "closed_at": roster.closed_at,
        "minimum_minutes": roster.effective_minimum_minutes(),
        "entries": _entries(event),
    }


class BuildOut(Schema):
    from_registrations: int
    from_invitations: int
    removed: int


@router.post("/events/{event_id}/roster/build", response=BuildOut)
def build_roster(request, event_id: Id):
    """Add confirmed registrations (and, for liaison meetings, invited contacts)."""
    event = _roster_event(request, event_id, permissions.can_record_attendance)
    return services.build_roster(event=event, user=request.auth).__dict__


class RosterStateOut(Schema):
    closed_at: dt.datetime | None
    minimum_minutes: int


def _state(roster: Roster):
    return {"closed_at": roster.closed_at, "minimum_minutes": roster.effective_minimum_minutes()}


@router.post("/events/{event_id}/roster/close", response=RosterStateOut)
def close_roster(request, event_id: Id):
    event = _roster_event(request, event_id, permissions.can_close_roster)
    return _state(services.close_roster(event=event, user=request.auth))


@router.post("/events/{event_id}/roster/reopen", response=RosterStateOut)
def reopen_roster(request, event_id: Id):
    event = _roster_event(request, event_id, permissions.can_close_roster)
    return _state(services.reopen_roster(event=event, user=request.auth))


class MinimumIn(InputSchema):
    minimum_minutes: Integer(1, 24 * 60) | None


@router.put("/events/{event_id}/roster/minimum", response=RosterStateOut)
def set_minimum(request, event_id: Id, payload: MinimumIn):
    """The minimum attended minutes of online imports (null: 60% of the event's length)."""
    event = _roster_event(request, event_id, permissions.can_record_attendance)
    roster = services.set_minimum_minutes(
        event=event, minutes=payload.minimum_minutes, user=request.auth
    )
    return _state(roster)


Reason = column(RosterChange, "reason")


AttendanceStatus = Choice(RosterEntry.Status)
WalkInKind = Annotated[
    column(RosterEntry, "affiliation_type"),
    ListedIn(lambda: [*vocabulary.affiliation_values(), "health_office"]),
]
"""An affiliation kind of the center (its own ones too), or a health office."""


class StatusIn(InputSchema):
    status: AttendanceStatus = RosterEntry.Status.PRESENT
    reason: Reason = ""


@router.post("/entries/{entry_id}/status", response=EntryOut)
def record_status(request, entry_id: Id, payload: StatusIn):
    """Check someone in (status present by default) or record another status."""
    entry = _entry(request, entry_id)
    services.record_attendance(
        entry=entry, status=payload.status, reason=payload.reason, user=request.auth
    )
    return RosterEntry.objects.select_related("municipality", "recorded_by").get(pk=entry.pk)


class BulkIn(InputSchema):
    entry_ids: IdList()
    status: AttendanceStatus = RosterEntry.Status.PRESENT
    reason: Reason = ""


class BulkOut(Schema):
    changed: int


@router.post("/events/{event_id}/check-in/bulk", response=BulkOut)
def record_in_bulk(request, event_id: Id, payload: BulkIn):
    """Mark many people at once (from a paper sign-in sheet); all or nothing."""
    event = _roster_event(request, event_id, permissions.can_record_attendance)
    changed = services.record_attendance_in_bulk(
        event=event,
        entry_ids=payload.entry_ids,
        status=payload.status,
        reason=payload.reason,
        user=request.auth,
    )
    return {"changed": changed}


class WalkInIn(InputSchema):
    name: column(RosterEntry, "name", required=True, blank_message=gettext_lazy("Enter the name."))
    kana: column(RosterEntry, "kana") = ""
    affiliation_type: WalkInKind
    organization: column(RosterEntry, "organization") = ""
    municipality_id: Id | None = None
    job_title: column(RosterEntry, "job_title") = ""
    email: column(RosterEntry, "email") = ""
    status: AttendanceStatus = RosterEntry.Status.PRESENT
    reason: Reason = ""


@router.post("/events/{event_id}/walk-ins", response={201: EntryOut})
def add_walk_in(request, event_id: Id, payload: WalkInIn):
    event = _roster_event(request, event_id, permissions.can_record_attendance)
    municipality = None
    if payload.municipality_id is not None:
        municipality = Municipality.objects.filter(pk=payload.municipality_id).first()
        if municipality is None:
            raise ValidationError({"municipality_id": _("Choose a municipality from the list.")})
    fields = payload.dict(exclude={"municipality_id"})
    entry = services.add_walk_in(
        event=event, user=request.auth, municipality=municipality, **fields
    )
    entry = RosterEntry.objects.select_related("municipality", "recorded_by").get(pk=entry.pk)
    return Status(201, entry)


class AttendeeOut(Schema):
    id: int
    name: str
    original_name: str
    email: str
    minutes: int
    lines: str
    entry_id: int | None
    resolution: str


class ImportOut(Schema):
    id: int
    filename: str
    format: str
    format_label: str
    encoding: str
    rows: int
    minimum_minutes: int
    uploaded_at: dt.datetime
    matched: int
    unmatched: list[AttendeeOut]
    attendees: list[AttendeeOut]


def _import_out(online_import: OnlineImport):
    attendees = list(online_import.attendees.all())
    unmatched = [a for a in attendees if a.resolution == ImportedAttendee.Resolution.UNMATCHED]
    return {
        **{
            f: getattr(online_import, f)
            for f in ImportOut.model_fields
            if hasattr(online_import, f)
        },
        "matched": len(attendees) - len(unmatched),
        "unmatched": unmatched,
        "attendees": attendees,
    }


@router.post("/events/{event_id}/imports", response={201: ImportOut})
def import_report(request, event_id: Id, file: UploadedFile = File(...)):  # noqa: B008
    """Upload a Zoom or Webex participant report (CSV). A file with errors is rejected whole
    (422, every problem with its line); unmatched participants are listed, never dropped."""
    event = _roster_event(request, event_id, permissions.can_record_attendance)
    file = uploads.one_upload(request, "file", max_bytes=MAX_BYTES, label=_("participant report"))
    online_import = services.import_online_attendance(
        event=event, user=request.auth, data=file.read(), filename=file.name or "upload.csv"
    )
    return Status(201, _import_out(online_import))


class ImportPage(Pagination):
    """The API's pagination, each import of the page with its participants."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_import_out(online_import) for online_import in page["items"]]
        return page


@router.get("/events/{event_id}/imports", response=list[ImportOut])
@paginate(ImportPage)
def list_imports(request, event_id: Id):
    """The event's online imports, newest first, each with its participants."""
    event = _roster_event(request, event_id, permissions.can_see_roster)
    return (
        OnlineImport.objects.filter(event=event)
        .order_by("-uploaded_at", "-id")
        .prefetch_related("attendees")
    )


class ResolveIn(InputSchema):
    action: Choice([("assign", ""), ("walk_in", ""), ("dismiss", "")])
    entry_id: Id | None = None
    affiliation_type: WalkInKind = "other"


@router.post("/imported/{attendee_id}/resolve", response=AttendeeOut)
def resolve_attendee(request, attendee_id: Id, payload: ResolveIn):
    """Resolve an unmatched participant: assign (with entry_id), walk_in, or dismiss."""
    return services.resolve_imported_attendee(
        actor=request.auth, attendee_id=attendee_id, **payload.dict()
    )


class BucketOut(Schema):
    key: str | int | None
    label: str
    count: int


class CountsOut(Schema):
    attended: int
    by_status: list[BucketOut]
    by_affiliation: list[BucketOut]
    by_municipality: list[BucketOut]
    by_district: list[BucketOut]
    by_block: list[BucketOut]
    without_municipality: int


class EventCountOut(Schema):
    event_id: int
    title: str
    kind: str
    starts_at: dt.datetime
    attended: int


class FiscalYearCountsOut(Schema):
    fiscal_year: int
    events: list[EventCountOut]
    by_kind: list[BucketOut]
    totals: CountsOut


@router.get("/events/{event_id}/counts", response=CountsOut)
def event_counts(request, event_id: Id):
    """Attended at one event, with breakdowns; health-office and municipal staff get the
    counts of their own municipalities only."""
    event = _event(request, event_id)
    return queries.event_counts(event, permissions.count_scope(request.auth))


@router.get("/counts", response=FiscalYearCountsOut)
def fiscal_year_counts(request, fiscal_year: FiscalYear | None = None):
    """Attended per event of the fiscal year and across them (default: the current year)."""
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(today())
    counts = queries.fiscal_year_counts(year, permissions.count_scope(request.auth))
    return {
        "fiscal_year": counts.fiscal_year,
        "events": [
            {
                "event_id": row.event.id,
                "title": str(row.event),
                "kind": row.event.kind,
                "starts_at": row.event.starts_at,
                "attended": row.attended,
            }
            for row in counts.events
        ],
        "by_kind": counts.by_kind,
        "totals": counts.totals,
    }


class CertificateOut(Schema):
    id: int
    label: str
    fiscal_year: int
    number: int
    pdf_url: str


@router.post("/entries/{entry_id}/certificate", response=CertificateOut)
def issue_certificate(request, entry_id: Id):
    """Issue (or give again) the certificate of attendance of someone who attended."""
    entry = _entry(request, entry_id)
    certificate = services.issue_certificate(entry=entry, user=request.auth)
    return {
        "id": certificate.id,
        "label": certificate.label,
        "fiscal_year": certificate.fiscal_year,
        "number": certificate.number,
        "pdf_url": reverse("attendance:certificate", args=[entry.id]),
    }
