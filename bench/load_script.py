"""bench/load.py's helper, run with the stack's settings: ``seed LINKS SEATS`` (a published
training and LINKS municipality feed links, printed as JSON), ``tokens EVENT`` (the emailed
confirmation tokens of its pending registrations), ``counts EVENT``."""

import datetime as dt
import json
import sys

import django


def main(command: str, *args: str) -> None:
    django.setup()
    from django.utils import timezone

    from directory.models import Municipality, User
    from feeds.services import issue_subscription
    from notifications.models import Dispatch
    from training import services
    from training.models import Registration

    if command == "seed":
        links, seats = int(args[0]), int(args[1])
        staff = User.objects.create(username="load-center", role="center")
        start = timezone.now() + dt.timedelta(days=14)
        event = services.create_event(
            by=staff, publish=True, title="負荷試験の研修", kind="lecture", starts_at=start,
            ends_at=start + dt.timedelta(hours=2), venue="高知県立ふくし交流プラザ",
            capacity=seats, audiences=["municipal"],
        )  # fmt: skip
        towns = list(Municipality.objects.order_by("pk"))
        tokens = [
            issue_subscription(target=towns[n % len(towns)], label=f"負荷{n}", issued_by=staff)[1]
            for n in range(links)
        ]
        print(json.dumps({"event_id": event.pk, "tokens": tokens}))
    elif command == "tokens":
        pending = Registration.objects.filter(event_id=int(args[0]), status="pending_confirmation")
        print(json.dumps([r.confirmation_token for r in pending]))
    elif command == "counts":
        rows = Registration.objects.filter(event_id=int(args[0]))
        print(
            json.dumps(
                {
                    "confirmed": rows.filter(status="confirmed").count(),
                    "waitlisted": rows.filter(status="waitlisted").count(),
                    "total": rows.count(),
                    # due now or being sent (reminders wait for their own time)
                    "mail_waiting": (
                        Dispatch.objects.due(timezone.now()).count()
                        + Dispatch.objects.filter(state=Dispatch.State.SENDING).count()
                    ),
                }
            )
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
