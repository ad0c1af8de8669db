"""Scheduling, withdrawing and sending outgoing messages: the notifications app's public
services, one module per concern.

- ``planning``: apps plan messages with ``schedule_message`` / ``plan_messages`` / ``send_now``
  and withdraw or move them with ``cancel_pending`` / ``reschedule_pending``;
- ``sending``: the job ``send_due_dispatches`` sends what is due (its docstring states the
  delivery guarantee);
- ``days_before``: the days before an event its reminders go out, per kind and topic.
"""

from notifications.services.days_before import (
    MAX_DAYS_BEFORE,
    ReminderSetting,
    reminder_days,
    reminder_settings,
    set_reminder_days,
)
from notifications.services.planning import (
    Planned,
    cancel_pending,
    plan_messages,
    reschedule_pending,
    retry_dispatch,
    schedule_message,
    send_now,
)
from notifications.services.sending import (
    SendReport,
    claim_due_dispatches,
    reclaim_stale_dispatches,
    retry_delay,
    send_due_dispatches,
    sending_lease,
)
from notifications.topics import object_of_topic

__all__ = [
    "MAX_DAYS_BEFORE",
    "Planned",
    "ReminderSetting",
    "SendReport",
    "cancel_pending",
    "claim_due_dispatches",
    "object_of_topic",
    "plan_messages",
    "reclaim_stale_dispatches",
    "reminder_days",
    "reminder_settings",
    "reschedule_pending",
    "retry_delay",
    "retry_dispatch",
    "schedule_message",
    "send_due_dispatches",
    "send_now",
    "sending_lease",
    "set_reminder_days",
]
