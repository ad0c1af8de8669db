"""Benchmark of the reminder sender: 10,000 due trainee reminders (the real kind: Japanese
templates and an .ics attachment per message, rendered at send time), sent by
``send_due_dispatches`` through Django's file mail backend (one file per batch), at two batch
sizes. Prints the throughput and the number of database queries per reminder, which must not
grow with the batch size (it is about one UPDATE per message plus a constant per batch).

In the same run it measures the floor: Django's ``send_messages`` for 3,000 pre-built messages
of the same shape (the same reminders rendered beforehand: Japanese body, one .ics attachment)
through the same backend, and prints the sender's share of it (goal: at least 50%). Then the
same reminders go to a real SMTP server on localhost (aiosmtpd in a process of its own, a
dev dependency), one connection reused per batch, against ``send_messages`` over one connection.

    .venv/bin/python bench/reminders.py                     # SQLite file var/bench_reminders.sqlite3
    DATABASE_URL=postgres://user:pass@host/bench_db .venv/bin/python bench/reminders.py
    .venv/bin/python bench/reminders.py --reminders 2000 --batch-sizes 50 500
    .venv/bin/python bench/reminders.py --reminders 3000 --batch-sizes 1000 --no-smtp

Rerunnable: the database is rebuilt each time; mail goes to a temporary directory.
"""

import argparse
import os
import socket
import statistics
import subprocess
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
FLOOR_MESSAGES = 3000
GOAL_SHARE = 0.5
SINK = ["-c", "aiosmtpd.handlers.Sink"]  # accepts every message and keeps none


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


def run(batch_size: int, total: int, now) -> tuple[float, float, int, int]:
    import datetime as dt

    from django.db import connection

    from notifications.models import Dispatch
    from notifications.services import send_due_dispatches

    counter = QueryCounter()
    sent = 0
    started, cpu = time.perf_counter(), time.process_time()
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
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert Dispatch.objects.filter(state="sent").count() == total, "not everything was sent"
    return elapsed, cpu, counter.count, sent


def prebuilt_messages(count: int) -> list:
    """``count`` reminders rendered beforehand, addressed as the sender addresses them: the
    floor's messages, of the same shape as what the sender sends."""
    from email.headerregistry import Address

    from core.emails import sender
    from notifications.models import Dispatch
    from notifications.registry import get_kind
    from training.reminders import EVENT_REMINDER

    kind = get_kind(EVENT_REMINDER)
    rows = list(Dispatch.objects.filter(kind=EVENT_REMINDER).order_by("pk")[:count])
    registrations = kind.queryset().in_bulk([row.object_id for row in rows])
    messages = []
    for row in rows:
        row.obj = registrations[row.object_id]
        message = kind.render(row)
        message.to = [str(Address(display_name=row.recipient_name, addr_spec=row.recipient))]
        message.from_email = sender()
        messages.append(message)
    return messages


def floor(messages: list) -> tuple[float, float]:
    """Seconds (wall-clock, CPU of this process) Django's ``send_messages`` takes for the
    pre-built messages over one connection of the configured backend."""
    from django.core.mail import get_connection

    mail_connection = get_connection(fail_silently=False)
    started, cpu = time.perf_counter(), time.process_time()
    mail_connection.open()
    try:
        assert mail_connection.send_messages(messages) == len(messages)
    finally:
        mail_connection.close()
    return time.perf_counter() - started, time.process_time() - cpu


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server(port: int) -> subprocess.Popen:
    """aiosmtpd on localhost in a process of its own (it accepts and discards every message)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *SINK],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the SMTP server did not start")


def measure_backend(label, args, total, now, messages) -> list[tuple]:
    """The sender at each batch size and the floor, alternating, on the configured backend."""
    results = []
    for batch_size in args.batch_sizes:
        floors = [floor(messages) for _ in range(args.floor_runs)]
        reset()
        say(f"→ {label}: sending {total} due reminders, batch size {batch_size}")
        elapsed, cpu, queries, sent = run(batch_size, total, now)
        floors += [floor(messages) for _ in range(args.floor_runs)]
        floor_wall = len(messages) / statistics.median(wall for wall, _cpu in floors)
        floor_cpu = len(messages) / statistics.median(cpu for _wall, cpu in floors)
        results.append((label, batch_size, sent, elapsed, cpu, queries, floor_wall, floor_cpu))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--floor-runs", type=int, default=2, help="floor runs before and after")
    parser.add_argument("--no-smtp", action="store_true", help="skip the run over SMTP")
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
    messages = prebuilt_messages(min(FLOOR_MESSAGES, total))
    say(f"→ the floor: {len(messages)} pre-built messages through send_messages")
    results = measure_backend("file backend", args, total, now, messages)
    if not args.no_smtp:
        from django.test import override_settings

        port = free_port()
        server = smtp_server(port)
        try:
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
            ):
                results += measure_backend(f"SMTP 127.0.0.1:{port}", args, total, now, messages)
        finally:
            server.terminate()
            server.wait()
    say("")
    say("Wall-clock rates, and per CPU second of this process (steadier on a busy machine; over")
    say("SMTP the server's own process is not counted). The floor: the median of its runs.")
    say(
        "| backend | batch size | reminders | seconds | reminders/s (per CPU s) | "
        "queries/reminder | send_messages floor, msg/s (per CPU s) | share of the floor "
        "(by CPU) | goal |"
    )
    say("|---|---|---|---|---|---|---|---|---|")
    for label, batch_size, sent, elapsed, cpu, queries, floor_wall, floor_cpu in results:
        rate, rate_cpu = sent / elapsed, sent / cpu
        say(
            f"| {label} | {batch_size:,} | {sent:,} | {elapsed:.1f} | "
            f"{rate:,.0f} ({rate_cpu:,.0f}) | {queries / sent:.3f} | "
            f"{floor_wall:,.0f} ({floor_cpu:,.0f}) | {rate / floor_wall:.0%} "
            f"({rate_cpu / floor_cpu:.0%}) | ≥ {GOAL_SHARE:.0%}, ≤ 1.01 queries/reminder |"
        )


if __name__ == "__main__":
    main()
