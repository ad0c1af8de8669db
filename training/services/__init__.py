"""Use cases that change training: ``events`` (courses, events, lecturers, an event's parts)
and ``registrations`` (register, confirm, cancel, promote; its docstring states how seats and
the waitlist are decided under the event's lock). Callers use ``training.services.<name>``."""

from training.services.events import (
    EVENT_EDITABLE_FIELDS,
    EVENT_TIME_PLACE_FIELDS,
    add_event_part,
    cancel_event,
    create_event,
    publish_event,
    remove_event_part,
    save_course,
    save_lecturer,
    update_event,
)
from training.services.registrations import (
    cancel_registration,
    confirm_registration,
    find_by_confirmation_token,
    promote_registration,
    register_trainee,
)

__all__ = [
    "EVENT_EDITABLE_FIELDS",
    "EVENT_TIME_PLACE_FIELDS",
    "add_event_part",
    "cancel_event",
    "cancel_registration",
    "confirm_registration",
    "create_event",
    "find_by_confirmation_token",
    "promote_registration",
    "publish_event",
    "register_trainee",
    "remove_event_part",
    "save_course",
    "save_lecturer",
    "update_event",
]
