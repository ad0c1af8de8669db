"""Check-in at the door by QR code: one scan (or the undo of one) at a time, or a device's
batch sent when its network comes back. Every operation carries the device's ``client_id``
and counts exactly once: sent again, it answers what it answered the first time.

A scanned code is looked up by its hash (``training.Registration.checkin_hash``) and answers one
of ``CheckInScan.Result``. A confirmed person is checked in through ``record_attendance`` (the
one way to record attendance: the sign-in sheet, the report and the roster see a scan like a
tap), audited with the device. When several devices checked the same person in offline, the
earliest time wins (``move_check_in_earlier``); a check-in for a registration cancelled
meanwhile is answered ``cancelled`` and not recorded.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import permissions
from attendance.models import CheckInScan, RosterEntry
from attendance.services.rosters import (
    build_roster,
    move_check_in_earlier,
    record_attendance,
)
from core.errors import Conflict
from core.fiscal import TOKYO, local_date
from core.inputs import MAX_CHECK_IN_BATCH
from training.models import Event, Registration

Result = CheckInScan.Result
Kind = CheckInScan.Kind
Status = RosterEntry.Status


@dataclass(frozen=True)
class Operation:
    """One thing a device did at the door: a scan of ``code``, or the undo of the scan
    ``undoes`` (its client id), at ``at`` on the device's clock."""

    client_id: uuid.UUID
    kind: str
    at: dt.datetime | None = None
    code: str = ""
    undoes: uuid.UUID | None = None


@dataclass(frozen=True)
class ScanAnswer:
    client_id: uuid.UUID
    kind: str
    result: str
    message: str
    name: str = ""
    kana: str = ""
    entry_id: int | None = None
    checked_in_at: dt.datetime | None = None
    undoes: uuid.UUID | None = None
    undoable: bool = False


def door_event(*, user, event_id: int) -> Event:
    """The event whose door ``user`` keeps: 404 unless they see it, 403 unless they may record
    attendance."""
    event = get_object_or_404(Event.objects.visible_to(user), pk=event_id)
    if not permissions.can_record_attendance(user, event):
        raise PermissionDenied
    return event


def message_for(result: str, checked_in_at: dt.datetime | None = None) -> str:
    """What the door's screen says, large."""
    if result == Result.ALREADY and checked_in_at is not None:
        time = checked_in_at.astimezone(TOKYO).strftime("%H:%M")
        return _("Already checked in (%(time)s)") % {"time": time}
    return str(Result(result).label)


def record_door_operations(
    *, user, event_id: int, device: str, operations: list[Operation], now=None
) -> list[ScanAnswer]:
    """Apply a device's scans and undos in the order it made them (one transaction each, so a
    refused one keeps the others) and answer each."""
    if len(operations) > MAX_CHECK_IN_BATCH:
        raise ValidationError(
            {"operations": _("Send at most %(max)d at once.") % {"max": MAX_CHECK_IN_BATCH}}
        )
    device = device.strip()
    if not device:
        raise ValidationError({"device": _("Name the device.")})
    event = door_event(user=user, event_id=event_id)
    now = now or timezone.now()
    return [_apply(event, user, device, operation, now) for operation in operations]


def _apply(event: Event, user, device: str, operation: Operation, now) -> ScanAnswer:
    done = CheckInScan.objects.filter(client_id=operation.client_id).first()
    if done is not None:
        return _answer_of(done)
    try:
        with transaction.atomic():
            scan = CheckInScan(
                event=event,
                client_id=operation.client_id,
                kind=operation.kind,
                device=device,
                scanned_at=_device_time(event, operation.at, now),
                received_at=now,
                scanned_by=user,
            )
            if operation.kind == Kind.UNDO:
                refusal = _undo(scan, user, device, operation.undoes)
            else:
                refusal = _scan(scan, user, device, operation.code)
            scan.save()
    except IntegrityError:
        # The same operation sent twice at once (two tabs, a retry): the first one counts and
        # this one's changes are rolled back with it.
        return _answer_of(CheckInScan.objects.get(client_id=operation.client_id))
    return _answer_of(scan, refusal=refusal)


def _device_time(event: Event, at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When the device saw the code: its own clock, never later than now nor before the
    event's day (a clock that is off counts as now)."""
    if at is None or at > now or local_date(at) < local_date(event.starts_at):
        return now
    return at


def _scan(scan: CheckInScan, user, device: str, code: str) -> str:
    """Decide the scan's result (and check the person in); answers a refusal's text or ""."""
    event = scan.event
    registration = Registration.objects.for_checkin_code(code).first() if code.strip() else None
    if registration is None:
        scan.result = Result.UNREADABLE
        return ""
    if registration.event_id != event.pk:
        scan.result = Result.OTHER_EVENT
        return ""
    scan.registration = registration
    status = registration.status
    if status != Registration.Status.CONFIRMED:
        scan.result = {
            Registration.Status.WAITLISTED: Result.WAITLISTED,
            Registration.Status.PENDING: Result.PENDING,
        }.get(status, Result.CANCELLED)
        return ""
    try:
        with transaction.atomic():
            entry = _entry_for(event, registration, user)
    except Conflict as refusal:  # the event was cancelled: nobody is added to its roster
        scan.result = Result.REFUSED
        return str(refusal.message)
    scan.entry = entry
    if entry.attended:
        move_check_in_earlier(entry=entry, at=scan.scanned_at, user=user, device=device)
        scan.result = Result.ALREADY
        return ""
    return _record(scan, entry, Status.PRESENT, user, device, Result.CHECKED_IN)


def _record(scan: CheckInScan, entry, status: str, user, device: str, result: str) -> str:
    """Record the status through the one check-in service (savepoint: a refusal changes
    nothing and is answered with its reason)."""
    at = scan.scanned_at if status == Status.PRESENT else scan.received_at
    try:
        with transaction.atomic():
            record_attendance(entry=entry, status=status, user=user, now=at, device=device)
    except (ValidationError, Conflict) as refusal:
        scan.result = Result.REFUSED
        return str(refusal.message) if isinstance(refusal, Conflict) else " ".join(refusal.messages)
    scan.result = result
    return ""


def _entry_for(event: Event, registration: Registration, user) -> RosterEntry:
    """The registration's roster entry, locked; the roster is brought up to date first when
    the person is not on it yet (as staff would tap 「名簿に追加」)."""
    entry = RosterEntry.objects.select_for_update().filter(registration=registration).first()
    if entry is None:
        build_roster(event=event, user=user)
        entry = RosterEntry.objects.select_for_update().get(registration=registration)
    return entry


def _undo(scan: CheckInScan, user, device: str, undoes: uuid.UUID | None) -> str:
    """Set the person of a check-in scan back to not yet recorded."""
    target = (
        CheckInScan.objects.select_related("entry")
        .filter(event=scan.event, client_id=undoes, kind=Kind.SCAN)
        .first()
        if undoes
        else None
    )
    scan.undoes = target
    if target is None or target.result != Result.CHECKED_IN or target.entry_id is None:
        scan.result = Result.NOTHING_TO_UNDO
        return ""
    entry = RosterEntry.objects.select_for_update().get(pk=target.entry_id)
    scan.entry, scan.registration_id = entry, target.registration_id
    if not entry.attended or target.undone_by.exists():
        scan.result = Result.NOTHING_TO_UNDO
        return ""
    return _record(scan, entry, Status.EXPECTED, user, device, Result.UNDONE)


def _answer_of(scan: CheckInScan, refusal: str = "") -> ScanAnswer:
    """The answer to a scan as it stands now (a replayed scan answers its first result)."""
    entry = scan.entry
    person = entry or scan.registration
    checked_in_at = entry.checked_in_at if entry is not None else None
    return ScanAnswer(
        client_id=scan.client_id,
        kind=scan.kind,
        result=scan.result,
        message=refusal or message_for(scan.result, checked_in_at),
        name=person.name if person is not None else "",
        kana=person.kana if person is not None else "",
        entry_id=entry.pk if entry is not None else None,
        checked_in_at=checked_in_at,
        undoes=scan.undoes.client_id if scan.undoes_id else None,
        undoable=scan.kind == Kind.SCAN
        and scan.result == Result.CHECKED_IN
        and entry is not None
        and entry.attended
        and not scan.undone_by.exists(),
    )


# --- what a device keeps for the day -----------------------------------------------------------


@dataclass(frozen=True)
class DoorPerson:
    code_hash: str
    name: str
    kana: str
    status: str
    entry_id: int | None
    checked_in_at: dt.datetime | None


def door_roster(*, user, event_id: int) -> tuple[Event, list[DoorPerson], dt.datetime]:
    """What a device at the door keeps to answer scans while offline: for each registration
    with a code, only the code's hash, the name, kana and status (the roster's status for a
    confirmed person, else ``waitlisted``, ``pending`` or ``cancelled``); and when that copy
    expires (the end of the event's last day, Tokyo time)."""
    event = door_event(user=user, event_id=event_id)
    entries = {
        entry.registration_id: entry
        for entry in RosterEntry.objects.filter(event=event, registration__isnull=False)
    }
    people = []
    for registration in event.registrations.exclude(checkin_hash="").order_by("id"):
        entry = entries.get(registration.pk)
        if registration.status == Registration.Status.CONFIRMED:
            status = entry.status if entry is not None else Status.EXPECTED
        else:
            status = {
                Registration.Status.WAITLISTED: "waitlisted",
                Registration.Status.PENDING: "pending",
            }.get(registration.status, "cancelled")
        people.append(
            DoorPerson(
                code_hash=registration.checkin_hash,
                name=registration.name,
                kana=registration.kana,
                status=status,
                entry_id=entry.pk if entry is not None else None,
                checked_in_at=entry.checked_in_at if entry is not None else None,
            )
        )
    last_day = local_date(event.ends_at)
    expires_at = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), TOKYO)
    return event, people, expires_at
