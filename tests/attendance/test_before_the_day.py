"""Nobody attends an event before its day (issue #20): present is refused on 12月8日 for an event
of 12月22日, so a future event never shows as held in the report; on the day, before the start,
it is accepted; absent and excused may be noted in advance."""

import datetime as dt

import pytest

from attendance import services
from attendance.models import RosterEntry
from core.errors import Conflict
from core.fiscal import TOKYO
from reports.fiscal_year import build_report
from tests.attendance.factories import LectureFactory, RosterEntryFactory

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2026, 12, 22, 13, 30, tzinfo=TOKYO)
EARLIER = dt.datetime(2026, 12, 8, 10, 0, tzinfo=TOKYO)
SAME_DAY = dt.datetime(2026, 12, 22, 9, 0, tzinfo=TOKYO)


@pytest.fixture
def future(db):
    return LectureFactory(starts_at=STARTS, title="12月の研修")


def test_present_before_the_day_is_refused_and_changes_nothing(future, center_staff):
    entries = [RosterEntryFactory(event=future) for _ in range(5)]

    for entry in entries:
        with pytest.raises(Conflict) as refused:
            services.record_attendance(
                entry=entry, status="present", user=center_staff, now=EARLIER
            )
        assert refused.value.code == "event_not_started"
    with pytest.raises(Conflict):
        services.record_attendance_in_bulk(
            event=future,
            entry_ids=[e.pk for e in entries],
            status="present",
            user=center_staff,
            now=EARLIER,
        )
    with pytest.raises(Conflict):
        services.add_walk_in(
            event=future,
            user=center_staff,
            name="早 すぎ",
            affiliation_type="municipal",
            now=EARLIER,
        )

    assert not RosterEntry.objects.filter(event=future).attended().exists()
    report = build_report(fiscal_year=2026, as_of=EARLIER.date())
    [line] = [line for line in report.trainings if line.event == future]
    assert (line.state, line.attended) == ("planned", 0)


def test_on_the_day_before_the_start_is_accepted(future, center_staff):
    entry = RosterEntryFactory(event=future)

    services.record_attendance(entry=entry, status="present", user=center_staff, now=SAME_DAY)

    entry.refresh_from_db()
    assert entry.status == "present"


def test_absent_and_excused_may_be_noted_in_advance(future, center_staff):
    first, second = RosterEntryFactory(event=future), RosterEntryFactory(event=future)

    services.record_attendance(entry=first, status="excused", user=center_staff, now=EARLIER)
    services.record_attendance(entry=second, status="absent", user=center_staff, now=EARLIER)

    assert {e.status for e in RosterEntry.objects.filter(event=future)} == {"excused", "absent"}
