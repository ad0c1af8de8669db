"""Certificate numbers under real concurrency (PostgreSQL): never shared, never skipped, and one
certificate per person however often it is asked for at once."""

import threading

import pytest
from django.db import connection

from attendance import services
from attendance.models import Certificate
from tests.attendance.factories import LectureFactory, RosterEntryFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

WORKERS = 12


def test_certificates_issued_at_once_get_distinct_consecutive_numbers():
    staff = UserFactory(username="center", role="center")
    entries = [
        RosterEntryFactory(
            event=LectureFactory(title=f"研修{n % 3}"), status="present", municipality=None
        )
        for n in range(30)
    ]
    tasks = [entry for entry in entries for _ in range(2)]  # everyone asked for twice
    errors = []
    barrier = threading.Barrier(WORKERS)

    def worker(mine):
        try:
            barrier.wait()
            for entry in mine:
                try:
                    services.issue_certificate(entry=entry, user=staff)
                except BaseException as exc:
                    errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(tasks[i::WORKERS],)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    numbers = sorted(Certificate.objects.filter(fiscal_year=2021).values_list("number", flat=True))
    assert errors == []
    assert numbers == list(range(1, 31))
    assert Certificate.objects.values("entry").distinct().count() == 30
