"""Arrange and inspect the production stack's database from a separate process, with the
stack's own settings (config.settings): ``python -m tests.production.stack_script seed 300``,
``... enqueue 8``, ``... states``, ``... link`` (a municipality feed link: prints its token),
``... revoke`` (revokes every feed link), ``... fetches`` (the links' fetches written to the database).

``seed`` works through the real services: a center staff member enters phone registrations
with an email for two trainings (each is told by email: confirmed or waitlisted, due now), and
the trainee reminders of a third training whose 1-day reminder moment (10:00 Tokyo) is the
latest one passed are planned (due, or already past their grace at some hours of the day, then
recorded missed and never sent)."""

import datetime as dt
import json
import sys

import django


def seed(count: int) -> None:
    from django.utils import timezone

    from core.fiscal import TOKYO
    from directory.models import User
    from training import reminders, services

    staff = User.objects.create(username="stack-center", role="center", last_name="センター")
    now = timezone.now()
    start = now + dt.timedelta(days=10)
    events = [
        services.create_event(
            by=staff,
            publish=True,
            title=f"本番構成テスト研修{n}",
            kind="lecture",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            venue="高知県立ふくし交流プラザ",
            capacity=97,
            audiences=["municipal"],
        )
        for n in range(2)
    ]
    for n in range(count):
        services.register_trainee(
            event=events[n % 2],
            by=staff,
            name=f"受講者{n}",
            email=f"stack{n}@example.jp",
            affiliation_type="municipal",
            source="phone",
        )
    local = timezone.localtime(now, TOKYO)
    moment_day = (
        local.date()
        if local.time() >= reminders.reminder_time()
        else local.date() - dt.timedelta(days=1)
    )
    event_day = moment_day + dt.timedelta(days=1)
    starts = dt.datetime.combine(event_day, dt.time(23, 0), TOKYO)
    soon = services.create_event(
        by=staff,
        publish=True,
        title="本番構成テスト 明日の研修",
        kind="lecture",
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=50),
        venue="高知市",
        capacity=100,
        audiences=["municipal"],
    )
    for n in range(20):
        services.register_trainee(
            event=soon,
            by=staff,
            name=f"前日{n}",
            email=f"soon{n}@example.jp",
            affiliation_type="municipal",
            source="phone",
        )
    reminders.plan_event(soon, now=now)


def main(command: str, count: str = "1") -> None:
    django.setup()
    from django_q.tasks import async_task

    from notifications.models import Dispatch

    if command == "seed":
        seed(int(count))
    elif command == "enqueue":
        for _ in range(int(count)):
            async_task("notifications.tasks.send_due")
    elif command == "states":
        # Messages due by now (later ones, such as next week's reminders, wait for their time).
        from django.utils import timezone

        rows = (
            Dispatch.objects.filter(due_at__lte=timezone.now())
            .order_by("pk")
            .values_list("pk", "kind", "state", "attempts")
        )
        print(json.dumps([list(row) for row in rows]))
    elif command == "link":
        from directory.models import Municipality, User
        from feeds.services import issue_subscription

        staff = User.objects.get(username="stack-center")
        town = Municipality.objects.order_by("pk").first()
        print(issue_subscription(target=town, label="本番構成テスト", issued_by=staff)[1])
    elif command == "revoke":
        from directory.models import User
        from feeds.models import Subscription
        from feeds.services import revoke_subscription

        staff = User.objects.get(username="stack-center")
        for row in Subscription.objects.active():
            revoke_subscription(subscription=row, revoked_by=staff)
    elif command == "fetches":
        from feeds.models import Subscription

        print(sum(Subscription.objects.values_list("access_count", flat=True)))


if __name__ == "__main__":
    main(*sys.argv[1:])
