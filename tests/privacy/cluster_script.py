"""Arrange and inspect the database of the erasure's qcluster test from a separate process:
``python -m tests.privacy.cluster_script seed 30``, ``... enqueue 2``, ``... state``, ``... results`` (the job's finished tasks)."""

import datetime as dt
import json
import sys

import django


def seed(count: int) -> None:
    """A FY2020 lecture (past the default five years after its fiscal year) with ``count``
    registrations and walk-ins of the same people."""
    from attendance.models import RosterEntry
    from core.fiscal import TOKYO
    from core.tokens import hash_token
    from training.models import Event, Registration

    starts = dt.datetime(2020, 6, 10, 13, 30, tzinfo=TOKYO)
    event = Event.objects.create(
        title="令和2年度 講義",
        kind=Event.Kind.LECTURE,
        status=Event.Status.PUBLISHED,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    for number in range(count):
        Registration.objects.create(
            event=event,
            name=f"受講 {number}",
            email=f"trainee{number}@example.jp",
            affiliation_type="municipal",
            source="phone",
            status="confirmed",
            secret_nonce=str(number),
            management_token_hash=hash_token(f"seed-{number}"),
        )
        RosterEntry.objects.create(
            event=event,
            source="walk_in",
            name=f"受講 {number}",
            affiliation_type="municipal",
            status="present",
        )


def state() -> dict:
    from attendance.models import RosterEntry
    from core.erased import ERASED
    from core.models import AuditEntry
    from privacy.models import Erasure
    from training.models import Registration

    return {
        "left": Registration.objects.exclude(name=ERASED).count()
        + RosterEntry.objects.exclude(name=ERASED).count(),
        "runs": [[run.counts, run.finished_at is not None] for run in Erasure.objects.all()],
        "audit": AuditEntry.objects.filter(action="privacy.erasure.scheduled").count(),
    }


def main(command: str, count: str = "1") -> None:
    django.setup()
    from django_q.tasks import async_task

    if command == "seed":
        seed(int(count))
    elif command == "enqueue":
        for _ in range(int(count)):
            async_task("privacy.tasks.erase_expired_data")
    elif command == "state":
        print(json.dumps(state()))
    elif command == "results":
        from django_q.models import Task

        tasks = Task.objects.filter(func="privacy.tasks.erase_expired_data").order_by("started")
        print(json.dumps([[task.success, task.result] for task in tasks]))


if __name__ == "__main__":
    main(*sys.argv[1:])
