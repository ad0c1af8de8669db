"""The one list of scheduled jobs. ``manage.py sync_schedules`` makes django-q2's schedules
match it exactly (creating, updating and removing), and the run command calls it at start.

Every job must be idempotent by a state column or a unique row, never by "it runs once a day":
a job that runs twice, or two workers that run it at once, change nothing more.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    minutes: int
    """Run every this many minutes."""


JOBS: list[Job] = [
    Job(
        name="heartbeat",
        func="config.tasks.heartbeat",
        minutes=5,
    ),
    Job(
        name="send due messages",
        func="notifications.tasks.send_due",
        minutes=1,
    ),
    Job(
        name="plan training reminders",
        func="training.reminders.plan_upcoming",
        minutes=10,
    ),
    Job(
        name="plan visit reminders",
        func="supervision.reminders.plan_upcoming",
        minutes=10,
    ),
    Job(
        name="plan roster reminders",
        func="attendance.reminders.plan_recent",
        minutes=10,
    ),
    Job(
        name="plan questionnaire invitations",
        func="surveys.invitations.plan_due",
        minutes=10,
    ),
    Job(
        name="plan weekly digests",
        func="notifications.digest.plan_weekly",
        minutes=60,
    ),
    Job(
        name="erase personal data past its period",
        func="privacy.tasks.erase_expired_data",
        minutes=24 * 60,
    ),
]
