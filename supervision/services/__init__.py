"""Use cases that change supervision rows, one module per concern: ``targets`` (targets and
their plans), ``visits`` and ``meetings`` (case meetings, liaison meetings and their cadence,
lecturer dispatches). Each is atomic, takes the acting user and ids (keyword arguments only),
finds the row among what the actor may see and checks the permission itself
(``core.usecases``): NotFound (404), Forbidden (403), ValidationError (bad input, 422) or
Conflict (409). Callers use ``supervision.services.<name>``."""

from supervision.services.meetings import (
    cancel_lecturer_dispatch,
    plan_liaison_meeting,
    record_case_meeting,
    record_lecturer_dispatch,
    revise_lecturer_dispatch,
    set_meeting_cadence,
)
from supervision.services.targets import (
    MAX_PLANNED,
    create_target,
    ensure_targets,
    set_plan,
    target_for,
)
from supervision.services.visits import (
    DEFAULT_VISIT_LENGTH,
    MAX_SERIES,
    VISIT_AUDIT_FIELDS,
    cancel_visit,
    complete_visit,
    plan_visit_series,
    postpone_visit,
    reopen_visit,
    revise_visit_details,
    schedule_visit,
)

__all__ = [
    "DEFAULT_VISIT_LENGTH",
    "MAX_PLANNED",
    "MAX_SERIES",
    "VISIT_AUDIT_FIELDS",
    "cancel_lecturer_dispatch",
    "cancel_visit",
    "complete_visit",
    "create_target",
    "ensure_targets",
    "plan_liaison_meeting",
    "plan_visit_series",
    "postpone_visit",
    "record_case_meeting",
    "record_lecturer_dispatch",
    "reopen_visit",
    "revise_lecturer_dispatch",
    "revise_visit_details",
    "schedule_visit",
    "set_meeting_cadence",
    "set_plan",
    "target_for",
]
