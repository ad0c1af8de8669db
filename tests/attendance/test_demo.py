import io

import pytest
from django.core.management import call_command

from attendance.demo import find_event
from attendance.models import RosterEntry
from attendance.queries import event_counts, fiscal_year_counts

pytestmark = pytest.mark.django_db


def demo_counts():
    found = {
        "ア": find_event({"label": "ア"}, "2021-07-08", None),
        "イ": find_event({"label": "イ"}, "2021-08-26", None),
        "西部": find_event({"kind": "liaison_meeting"}, "2021-06-10", "西部"),
        "中央": find_event({"kind": "liaison_meeting"}, "2021-06-16", "中央"),
        "東部": find_event({"kind": "liaison_meeting"}, "2021-06-25", "東部"),
        "つながるfesta": find_event({"kind": "awareness"}, "2021-10-01", None),
    }
    return {label: event_counts(event).attended for label, event in found.items()}


def test_demo_gives_the_seeds_counts_from_roster_rows_and_runs_twice():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    counts = demo_counts()
    liaison = [
        row.attended
        for row in fiscal_year_counts(2021).events
        if row.event.kind == "liaison_meeting" and row.event.starts_at.month == 6
    ]
    assert counts == {"ア": 89, "イ": 97, "西部": 38, "中央": 48, "東部": 34, "つながるfesta": 64}
    assert (liaison, sum(liaison)) == ([38, 48, 34], 120)
    assert not RosterEntry.objects.filter(is_demo=False).exists()
