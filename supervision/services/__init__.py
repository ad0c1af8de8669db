"""Use cases that change supervision rows, one module per concern: ``visits`` (targets, plans,
visits) and ``meetings`` (case meetings, liaison meetings and their cadence, lecturer
dispatches). Each is atomic, takes keyword arguments only and raises ValidationError (bad
input, 422), PermissionDenied (403) or Conflict (409). Callers use
``supervision.services.<name>``."""

from supervision.services.meetings import (
    cancel_lecturer_dispatch,
    plan_liaison_meeting,
    record_case_meeting,
    record_lecturer_dispatch,
    set_meeting_cadence,
)
from supervision.services.visits import (
    DEFAULT_VISIT_LENGTH,
    MAX_PLANNED,
    MAX_SERIES,
    VISIT_AUDIT_FIELDS,
    cancel_visit,
    complete_visit,
    ensure_targets,
    plan_visit_series,
    postpone_visit,
    reopen_visit,
    revise_visit_details,
    schedule_visit,
    set_plan,
    target_for,
)

__all__ = [
    "DEFAULT_VISIT_LENGTH",
    "MAX_PLANNED",
    "MAX_SERIES",
    "VISIT_AUDIT_FIELDS",
    "cancel_lecturer_dispatch",
    "cancel_visit",
    "complete_visit",
    "ensure_targets",
    "plan_liaison_meeting",
    "plan_visit_series",
    "postpone_visit",
    "record_case_meeting",
    "record_lecturer_dispatch",
    "reopen_visit",
    "revise_visit_details",
    "schedule_visit",
    "set_meeting_cadence",
    "set_plan",
    "target_for",
]
