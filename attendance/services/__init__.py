"""Use cases that change rosters, one module per concern: ``rosters`` (building, recording
attendance, walk-ins, closing), ``online`` (importing an online lecture's report),
``certificates``, ``scans`` (check-in by QR code at the door, online or synced later). Each is one transaction; a refused request changes nothing. Errors:
``ValidationError`` (422) for bad input, ``Conflict`` (409) for a request the event's state
forbids."""

from attendance.services.certificates import (
    issue_certificate,
)
from attendance.services.online import (
    import_online_attendance,
    resolve_imported_attendee,
)
from attendance.services.rosters import (
    ORGANIZATION_AFFILIATION,
    BuildResult,
    add_walk_in,
    build_roster,
    close_roster,
    move_check_in_earlier,
    record_attendance,
    record_attendance_in_bulk,
    reopen_roster,
    roster_additions,
    roster_of,
    set_minimum_minutes,
)
from attendance.services.scans import (
    Operation,
    ScanAnswer,
    door_roster,
    record_door_operations,
)

__all__ = [
    "ORGANIZATION_AFFILIATION",
    "BuildResult",
    "Operation",
    "ScanAnswer",
    "add_walk_in",
    "build_roster",
    "close_roster",
    "door_roster",
    "import_online_attendance",
    "issue_certificate",
    "move_check_in_earlier",
    "record_attendance",
    "record_attendance_in_bulk",
    "record_door_operations",
    "reopen_roster",
    "resolve_imported_attendee",
    "roster_additions",
    "roster_of",
    "set_minimum_minutes",
]
