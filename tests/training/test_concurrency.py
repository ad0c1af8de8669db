"""No overbooking, ever: real concurrent connections against PostgreSQL.

Each worker thread has its own database connection (Django opens one per thread); all start
together at a barrier. Skipped only where no PostgreSQL is configured (CI runs it)."""

import queue
import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.factories import EventFactory, RegistrationFactory
from training import services
from training.models import Registration

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WORKERS = 80  # one connection each, all started together; under PostgreSQL's 100 connections


def run_concurrently(tasks) -> list[BaseException]:
    """Run the callables on WORKERS threads that start together; return the exceptions."""
    work = queue.Queue()
    for task in tasks:
        work.put(task)
    errors: list[BaseException] = []
    barrier = threading.Barrier(WORKERS)

    def worker():
        try:
            barrier.wait()
            while True:
                try:
                    task = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    task()
                except BaseException as exc:  # collected and asserted below
                    errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def registrar(event, staff, n):
    def task():
        services.register_trainee(
            event=event,
            by=staff,
            name=f"受講者{n}",
            email=f"t{n}@example.jp",
            affiliation_type="municipal",
            source="phone",
        )

    return task


def waitlist_positions(event) -> list[int]:
    return [r.position for r in event.registrations.with_position().in_waitlist_order()]


def test_200_simultaneous_registrations_for_97_seats(db):
    staff = UserFactory(username="center", role="center")
    event = EventFactory(capacity=97)

    errors = run_concurrently([registrar(event, staff, n) for n in range(200)])

    statuses = list(event.registrations.values_list("status", flat=True))
    assert errors == []
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (97, 103)
    assert waitlist_positions(event) == list(range(1, 104))


def test_200_simultaneous_email_confirmations_for_97_seats(db):
    event = EventFactory(capacity=97)
    pending = []
    for n in range(200):
        registration = Registration(
            event=event,
            name=f"受講者{n}",
            email=f"w{n}@example.jp",
            affiliation_type="other",
            source="web",
            status="pending_confirmation",
        )
        registration.set_secrets(needs_confirmation=True, now=timezone.now())
        pending.append(registration)
    tokens = [r.confirmation_token for r in Registration.objects.bulk_create(pending)]

    errors = run_concurrently(
        [lambda token=token: services.confirm_registration(token=token) for token in tokens]
    )

    statuses = list(event.registrations.values_list("status", flat=True))
    assert errors == []
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (97, 103)
    assert waitlist_positions(event) == list(range(1, 104))


def test_cancellations_racing_registrations_keep_the_invariant(db):
    staff = UserFactory(username="center", role="center")
    event = EventFactory(capacity=97)
    seated = RegistrationFactory.create_batch(97, event=event)
    waiting = RegistrationFactory.create_batch(40, event=event, status="waitlisted")
    leaving = random.Random(3).sample(seated + waiting, 60)
    tasks = [registrar(event, staff, n) for n in range(120)] + [
        lambda r=r: services.cancel_registration(registration=r) for r in leaving
    ]
    random.Random(4).shuffle(tasks)

    errors = run_concurrently(tasks)

    statuses = list(event.registrations.values_list("status", flat=True))
    active = statuses.count("confirmed") + statuses.count("waitlisted")
    assert errors == []
    assert statuses.count("cancelled") == 60
    assert active == 97 + 40 + 120 - 60
    assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (97, active - 97)
    assert waitlist_positions(event) == list(range(1, active - 97 + 1))
    assert Registration.objects.filter(event=event, status="waitlisted").count() == active - 97


def test_a_told_waitlist_place_never_gets_worse_under_the_race(db):
    """200 people race for 97 seats, half entered by staff and half following their emailed
    link; each is told their place when the call returns. The queue is the order in which places
    were decided under the event's lock, so nobody ends further back than they were told."""
    staff = UserFactory(username="center", role="center")
    event = EventFactory(capacity=97)
    pending = []
    for n in range(100):
        registration = Registration(
            event=event,
            name=f"受講者{n}",
            email=f"w{n}@example.jp",
            affiliation_type="other",
            source="web",
            status="pending_confirmation",
        )
        registration.set_secrets(needs_confirmation=True, now=timezone.now())
        pending.append(registration)
    tokens = [r.confirmation_token for r in Registration.objects.bulk_create(pending)]
    told: dict[int, int | None] = {}

    def staff_entry(n):
        def task():
            registration = services.register_trainee(
                event=event,
                by=staff,
                name=f"電話{n}",
                email=f"t{n}@example.jp",
                affiliation_type="municipal",
                source="phone",
            )
            told[registration.pk] = registration.position

        return task

    def confirmation(token):
        def task():
            registration = services.confirm_registration(token=token)
            told[registration.pk] = registration.position

        return task

    tasks = [staff_entry(n) for n in range(100)] + [confirmation(t) for t in tokens]
    random.Random(5).shuffle(tasks)

    errors = run_concurrently(tasks)

    final = {r.pk: r.position for r in event.registrations.with_position().in_waitlist_order()}
    assert errors == []
    assert len(told) == 200
    assert len(final) == 103
    worse = {pk: (told[pk], place) for pk, place in final.items() if told[pk] < place}
    assert worse == {}, f"told a place, ended further back: {worse}"
