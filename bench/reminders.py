"""Benchmark of the reminder sender: 10,000 due trainee reminders (the real kind: Japanese
templates and an .ics attachment per message, rendered at send time), sent by
``send_due_dispatches`` through Django's file mail backend (one file per batch), at two batch
sizes. Prints the throughput and the number of database queries per reminder, which must not
grow with the batch size (it is about one UPDATE per message plus a constant per batch).

    .venv/bin/python bench/reminders.py                     # SQLite file var/bench_reminders.sqlite3
    DATABASE_URL=postgres://user:pass@host/bench_db .venv/bin/python bench/reminders.py
    .venv/bin/python bench/reminders.py --reminders 2000 --batch-sizes 50 500

Rerunnable: the database is rebuilt each time; mail goes to a temporary directory.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import QueryCounter, rebuild_database  # noqa: E402

os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_reminders.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")  # no query log in memory, as in production
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("LOG_LEVEL", "WARNING")
MAIL_DIR = tempfile.mkdtemp(prefix="sasaeru-bench-mail-")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
os.environ["EMAIL_FILE_PATH"] = MAIL_DIR

PER_EVENT = 100


def say(message: str) -> None:
    print(message, flush=True)


def load(reminders: int):
    """Events that all start on the same day, each with PER_EVENT confirmed registrations and
    one reminder the day before (reminder days set to [1]); returns the moment to send at."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from core.fiscal import TOKYO
    from notifications.services import set_reminder_days
    from notifications.topics import topic_for
    from training import reminders as training_reminders
    from training.models import Event, Registration

    starts = dt.datetime.combine(
        timezone.localdate(timezone.now(), TOKYO) + dt.timedelta(days=30), dt.time(14), TOKYO
    )
    events = reminders // PER_EVENT
    started = time.perf_counter()
    for number in range(events):
        with transaction.atomic():
            event = Event.objects.create(
                title=f"ベンチ研修{number + 1}（デモ）",
                kind=Event.Kind.LECTURE,
                status=Event.Status.PUBLISHED,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=2),
                venue="高知県立ふくし交流プラザ",
                capacity=PER_EVENT,
            )
            set_reminder_days(
                kind=training_reminders.EVENT_REMINDER, topic=topic_for(event), days=[1]
            )
            rows = []
            for seat in range(PER_EVENT):
                registration = Registration(
                    event=event,
                    name=f"受講 {number}-{seat}",
                    email=f"trainee{number}-{seat}@example.jp",
                    affiliation_type="municipal",
                    source=Registration.Source.STAFF,
                    status=Registration.Status.CONFIRMED,
                    confirmed_at=timezone.now(),
                )
                registration.set_secrets(needs_confirmation=False, now=timezone.now())
                rows.append(registration)
            Registration.objects.bulk_create(rows)
            training_reminders.plan_event(event)
        if (number + 1) % 10 == 0 or number + 1 == events:
            say(f"  loaded {number + 1}/{events} events, {(number + 1) * PER_EVENT} reminders")
    say(f"  planning took {time.perf_counter() - started:.1f} s")
    return training_reminders.reminder_moment(starts, 1) + dt.timedelta(minutes=1)


def reset() -> None:
    from django.db.models import F

    from notifications.models import Dispatch

    Dispatch.objects.update(
        state="pending",
        attempts=0,
        next_attempt_at=F("due_at"),
        sent_at=None,
        claimed_at=None,
        claim_token="",
        subject="",
        reason="",
    )


def run(batch_size: int, total: int, now) -> tuple[float, int, int]:
    import datetime as dt

    from django.db import connection

    from notifications.models import Dispatch
    from notifications.services import send_due_dispatches

    counter = QueryCounter()
    sent = 0
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        while True:
            # one batch per call (no time budget left after it), to print progress
            report = send_due_dispatches(batch_size=batch_size, now=now, time_budget=dt.timedelta())
            if not report.batches:
                break
            sent += report.sent
            if sent % max(batch_size, 1000) < batch_size or sent == total:
                elapsed = time.perf_counter() - started
                say(f"  batch size {batch_size}: {sent}/{total} sent ({sent / elapsed:.0f}/s)")
    elapsed = time.perf_counter() - started
    assert Dispatch.objects.filter(state="sent").count() == total, "not everything was sent"
    return elapsed, counter.count, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    total = args.reminders - args.reminders % PER_EVENT
    say(f"database: {connection.vendor}; mail: file backend in {MAIL_DIR}")
    say("→ building the database")
    rebuild_database()
    say(f"→ planning {total} reminders")
    now = load(total)
    results = []
    for batch_size in args.batch_sizes:
        reset()
        say(f"→ sending {total} due reminders, batch size {batch_size}")
        elapsed, queries, sent = run(batch_size, total, now)
        results.append((batch_size, sent, elapsed, queries))
    say("")
    say("batch size | reminders | seconds | reminders/s | queries | queries/reminder")
    for batch_size, sent, elapsed, queries in results:
        say(
            f"{batch_size:>10} | {sent:>9} | {elapsed:>7.1f} | {sent / elapsed:>11.0f} | "
            f"{queries:>7} | {queries / sent:>16.3f}"
        )


if __name__ == "__main__":
    main()
