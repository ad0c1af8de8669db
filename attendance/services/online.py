"""Importing the attendance report of an online lecture and resolving the people it could
not match. One transaction each; a refused import changes nothing."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.imports import name_key, parse_participant_report
from attendance.models import (
    ImportedAttendee,
    OnlineImport,
    RosterEntry,
)
from attendance.permissions import can_record_attendance
from attendance.services.rosters import (
    ENTRY_AUDIT_FIELDS,
    add_walk_in,
    apply_status,
    record_entry_change,
    refuse_before_the_day,
    refuse_cancelled,
    roster_of,
)
from core import audit
from core.errors import Conflict
from core.usecases import audited_as, load_visible, may, visible
from training.models import Audience, Event

Status = RosterEntry.Status
Source = RosterEntry.Source


def _refuse_draft_or_in_person(event: Event) -> None:
    """A participant report belongs to a published online event."""
    if event.status == Event.Status.DRAFT:
        raise Conflict(
            _("This event is a draft: publish it before importing a participant report."),
            code="event_draft",
        )
    if not event.is_online:
        raise Conflict(
            _("This event is held in person: a participant report is for online events."),
            code="event_in_person",
        )


@transaction.atomic
def import_online_attendance(
    *, event: Event, user, data: bytes, filename: str, now: dt.datetime | None = None
) -> OnlineImport:
    """Read a Zoom/Webex participant report and record who attended: each participant is
    matched to the roster by email, then by name (or reading); whoever attended at least the
    roster's minimum minutes is present, anyone matched below it absent. Unmatched participants
    are kept for staff to resolve. A file with any error is rejected whole."""
    refuse_cancelled(event)
    _refuse_draft_or_in_person(event)
    refuse_before_the_day(event, RosterEntry.Status.PRESENT, now)
    roster = roster_of(event)
    if roster.is_closed:
        raise Conflict(_("The roster is closed: reopen it before importing."), code="closed")
    report = parse_participant_report(data)
    now = now or timezone.now()
    minimum = roster.effective_minimum_minutes()
    online_import = OnlineImport.objects.create(
        event=event,
        filename=filename[:255],
        format=report.format.key,
        format_label=str(report.format.label),
        encoding=report.encoding,
        rows=report.rows,
        minimum_minutes=minimum,
        uploaded_by=user,
        uploaded_at=now,
    )
    by_email, by_name = _roster_index(RosterEntry.objects.filter(event=event))
    attendees = []
    for participant in report.participants:
        entry, resolution = _match(participant, by_email, by_name)
        attendees.append(
            ImportedAttendee(
                online_import=online_import,
                name=participant.name[:200],
                original_name=participant.original_name[:200],
                email=participant.email if "@" in participant.email else "",
                minutes=participant.minutes,
                joined_at=participant.joined_at,
                left_at=participant.left_at,
                lines=",".join(map(str, participant.lines))[:200],
                entry=entry,
                resolution=resolution,
            )
        )
    ImportedAttendee.objects.bulk_create(attendees)
    matched = {a.entry.id: a.entry for a in attendees if a.entry is not None}
    _apply_minutes(online_import, list(matched.values()), attendees, user=user, now=now)
    return online_import


def _roster_index(entries) -> tuple[dict[str, list], dict[str, list]]:
    """The roster's entries by casefolded email, and by the key of their name and reading."""
    by_email: dict[str, list[RosterEntry]] = {}
    by_name: dict[str, list[RosterEntry]] = {}
    for entry in entries:
        if entry.email:
            by_email.setdefault(entry.email.casefold(), []).append(entry)
        for key in {name_key(entry.name), name_key(entry.kana)} - {""}:
            by_name.setdefault(key, []).append(entry)
    return by_email, by_name


def _match(participant, by_email, by_name) -> tuple[RosterEntry | None, str]:
    """The one roster entry with the participant's email, else the one with one of their
    names; with none or several, unmatched."""
    same_email = by_email.get(participant.email, []) if participant.email else []
    if len(same_email) == 1:
        return same_email[0], ImportedAttendee.Resolution.EMAIL
    candidates = {e.id: e for key in map(name_key, participant.names) for e in by_name.get(key, [])}
    if len(candidates) == 1:
        return next(iter(candidates.values())), ImportedAttendee.Resolution.NAME
    return None, ImportedAttendee.Resolution.UNMATCHED


def _apply_minutes(online_import, entries, attendees, *, user, now) -> None:
    """Set each entry's minutes (summed over the import's rows matched to it) and status."""
    roster = roster_of(online_import.event)
    before = {entry.pk: audit.snapshot(entry, ENTRY_AUDIT_FIELDS) for entry in entries}
    for entry in entries:
        rows = [a for a in attendees if a.entry_id == entry.id]
        entry.attended_minutes = sum(a.minutes for a in rows)
        status = (
            Status.PRESENT
            if entry.attended_minutes >= online_import.minimum_minutes
            else Status.ABSENT
        )
        joined = [a.joined_at for a in rows if a.joined_at]
        apply_status(entry, status, user=user, now=now, roster=roster, reason="")
        if status == Status.PRESENT and joined:
            entry.checked_in_at = min(joined)
        entry.recorded_by, entry.recorded_at = user, now
    RosterEntry.objects.bulk_update(
        entries, ["attended_minutes", "status", "checked_in_at", "recorded_by", "recorded_at"]
    )
    for entry in entries:
        record_entry_change(
            entry,
            "attendance.rosterentry.imported",
            by=user,
            before=before[entry.pk],
            detail=online_import.filename,
        )


@transaction.atomic
def resolve_imported_attendee(
    *,
    actor,
    attendee_id: int,
    action: str,
    entry_id: int | None = None,
    affiliation_type: str = Audience.OTHER,
    now: dt.datetime | None = None,
) -> ImportedAttendee:
    """Resolve an unmatched participant: ``assign`` to an entry of the event, add as a
    ``walk_in``, or ``dismiss`` (the host, a lecturer, a test connection). Whoever may record
    the event's attendance may do it (the page and the API ask the same question here)."""
    attendee = load_visible(
        ImportedAttendee.objects.select_related("online_import__event").filter(
            online_import__event__in=visible(Event.objects.all(), actor)
        ),
        attendee_id,
    )
    online_import = attendee.online_import
    event = online_import.event
    may(actor, can_record_attendance, event)
    user = audited_as(actor)
    entry = None
    if entry_id is not None:
        entry = RosterEntry.objects.filter(pk=entry_id, event=event).first()
    refuse_cancelled(event)
    if roster_of(event).is_closed:
        raise Conflict(_("The roster is closed: reopen it before importing."), code="closed")
    if attendee.resolution != ImportedAttendee.Resolution.UNMATCHED:
        raise Conflict(_("This participant is already resolved."), code="resolved")
    now = now or timezone.now()
    if action == "assign":
        if entry is None or entry.event_id != event.id:
            raise ValidationError({"entry_id": _("Choose a person on this roster.")})
        attendee.resolution = ImportedAttendee.Resolution.ASSIGNED
    elif action == "walk_in":
        entry = add_walk_in(
            event=event,
            user=user,
            name=attendee.name,
            email=attendee.email,
            affiliation_type=affiliation_type,
            status=Status.EXPECTED,
            now=now,
        )
        attendee.resolution = ImportedAttendee.Resolution.WALK_IN
    elif action == "dismiss":
        entry = None
        attendee.resolution = ImportedAttendee.Resolution.DISMISSED
    else:
        raise ValidationError({"action": _("Choose assign, walk_in or dismiss.")})
    attendee.entry = entry
    attendee.resolved_by, attendee.resolved_at = user, now
    attendee.save(update_fields=["entry", "resolution", "resolved_by", "resolved_at"])
    if entry is not None:
        rows = list(online_import.attendees.filter(entry=entry))
        _apply_minutes(online_import, [entry], rows, user=user, now=now)
    return attendee
