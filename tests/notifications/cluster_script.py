"""Arrange and inspect the database of the qcluster test from a separate process (the test's own
connection points at pytest's database): ``python -m tests.notifications.cluster_script seed 5``,
``... enqueue 3``. The test reads the messages' states straight from the database."""

import sys

import django


def main(command: str, count: str = "1") -> None:
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django_q.tasks import async_task

    from notifications.services import schedule_message

    if command == "seed":
        subject = ContentType.objects.get_for_model(ContentType)
        now = timezone.now()
        for number in range(int(count)):
            schedule_message(
                kind="crashtest.slow",
                obj=subject,
                recipient=f"trainee{number}@example.jp",
                due_at=now,
            )
    elif command == "enqueue":
        for _ in range(int(count)):
            async_task("notifications.tasks.send_due")


if __name__ == "__main__":
    main(*sys.argv[1:])
