"""Arrange and inspect the production stack's database from a separate process, with the
stack's own settings (config.settings): ``python -m tests.production.stack_script seed 300``,
``... enqueue 8``, ``... link`` (a municipality feed link: prints its token),
``... revoke`` (revokes every feed link), ``... slow PATH SECONDS`` / ``... slow_result`` (a job that takes its time, and its
outcome), ``... tokens`` (one URL of every kind
that carries a secret token, as JSON), ``... fetches`` (the live links' fetches written to the database).

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


def token_urls() -> list[str]:
    """One URL of every kind that carries a secret token (the log-masking tests fetch them):
    a registrant's management pages and files, a confirmation link, the registrant's links page,
    a certificate, the admission ticket (受講票), a questionnaire's link, a municipality's and a
    registrant's secret calendar link, and an unknown token (404, "Not Found" in Django's log)."""
    from django.utils import timezone

    from core.tokens import new_token
    from directory.models import Municipality, User
    from feeds.services import issue_registrant_subscription, issue_subscription
    from surveys import services as surveys
    from surveys.models import Invitation
    from training import services

    staff, _ = User.objects.get_or_create(
        username="stack-center", defaults={"role": "center", "last_name": "センター"}
    )
    start = timezone.now() + dt.timedelta(days=12)
    event = services.create_event(
        by=staff,
        publish=True,
        title="ログ確認研修",
        kind="online_lecture",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="オンライン",
        join_url="https://online-meeting.example/logs",
        capacity=10,
        audiences=["municipal"],
    )
    registration = services.register_trainee(
        event=event,
        by=staff,
        name="記録 確認",
        phone="088-000-0000",  # no email: the stack test counts every mail sent
        affiliation_type="municipal",
        source="phone",
    )
    pending = services.register_trainee(
        event=event,
        by=staff,
        name="確認 待ち",
        phone="088-000-0000",  # no email: the stack test counts every mail sent
        affiliation_type="municipal",
        source="phone",
    )
    pending.set_secrets(needs_confirmation=True, now=timezone.now())
    pending.save()
    manage = registration.management_token
    town = Municipality.objects.order_by("pk").first()
    feed = issue_subscription(target=town, label="ログ確認", issued_by=staff)[1]
    mine_row, mine = issue_registrant_subscription(email="logs@example.jp", label="自分の予定")
    # A questionnaire's personal link (made here without its email: the stack test counts mail).
    survey = surveys.create_survey(actor=staff, event_id=event.pk)
    nonce = new_token()
    invitation = Invitation.objects.create(
        survey=survey,
        nonce=nonce,
        token_hash=surveys.token_hash_for(nonce),
        expires_at=surveys.expiry_for(survey, timezone.now()),
        created_at=timezone.now(),
    )
    return [
        f"/surveys/a/{surveys.invitation_token(invitation)}/",
        f"/training/r/{manage}/",
        f"/training/r/{manage}/event.ics",
        f"/training/r/{manage}/join/",
        f"/training/r/{manage}/cancel/",
        f"/training/confirm/{pending.confirmation_token}/",
        f"/calendar/my/{manage}/",
        f"/calendar/my/{manage}/{mine_row.pk}/revoke/",
        f"/attendance/certificate/{manage}/",
        f"/attendance/admission/{manage}.pdf",
        f"/calendar/s/{feed}.ics",
        f"/calendar/s/{mine}.ics",
        "/training/r/Unknown-Token-For-The-Log-0123/",
    ]


def main(command: str, count: str = "1", *rest: str) -> None:
    django.setup()
    from django_q.tasks import async_task

    if command == "seed":
        seed(int(count))
    elif command == "enqueue":
        for _ in range(int(count)):
            async_task("notifications.tasks.send_due")
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
    elif command == "slow":  # slow PATH SECONDS: queue tests.production.slow_task.take_time
        path, seconds = count, rest[0]
        async_task("tests.production.slow_task.take_time", path, float(seconds), task_name="slow")
    elif command == "slow_result":
        from django_q.models import Task

        print(json.dumps([[t.success, t.result] for t in Task.objects.filter(name="slow")]))
    elif command == "tokens":
        print(json.dumps(token_urls()))
    elif command == "fetches":
        from feeds.models import Subscription

        print(sum(Subscription.objects.active().values_list("access_count", flat=True)))


if __name__ == "__main__":
    main(*sys.argv[1:])
