"""On the day at the venue: opening check-in offers to add the confirmed people (one button
that says how many), one empty state, and today's events first on the attendance list."""

import datetime as dt

import pytest
from django.utils import timezone

from attendance import services
from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, RosterEntryFactory, TraineeFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_check_in_offers_to_add_the_confirmed_registrants_and_says_how_many(center_staff, event):
    for _ in range(5):
        TraineeFactory(event=event)
    TraineeFactory(event=event, status="cancelled")
    client = client_for(center_staff)
    url = f"/attendance/events/{event.id}/check-in/"

    before = client.get(url)
    built = client.post(f"/attendance/events/{event.id}/build/", {"next": url})
    after = client.get(url)

    html = before.content.decode()
    assert before.context["to_add"] == 5
    assert "5名を名簿に追加する" in html
    assert "0 / 0" not in html
    assert html.count('class="muted empty-state"') == 1
    assert 'id="no-match"' not in html
    assert (built.status_code, built.url) == (302, url)
    assert RosterEntry.objects.filter(event=event).count() == 5
    assert after.context["to_add"] == 0
    assert "名簿に追加する" not in after.content.decode()


def test_check_in_of_an_empty_roster_without_registrants_has_one_empty_state(center_staff, event):
    html = client_for(center_staff).get(f"/attendance/events/{event.id}/check-in/").content.decode()

    assert html.count('class="muted empty-state"') == 1
    assert "名簿に追加する" not in html


def test_roster_additions_counts_only_what_build_roster_adds(center_staff, event):
    on_roster = TraineeFactory(event=event)
    services.build_roster(event=event, user=center_staff)
    TraineeFactory(event=event)
    TraineeFactory(event=event, status="cancelled")
    RosterEntryFactory(event=event)

    assert services.roster_additions(event) == 1
    assert on_roster.roster_entry is not None


def test_attendance_list_puts_todays_events_first_with_a_check_in_button(center_staff):
    now = timezone.now().astimezone(TOKYO)
    earlier = LectureFactory(title="先月の研修", starts_at=now - dt.timedelta(days=20))
    today = LectureFactory(title="今日の研修", starts_at=now.replace(hour=0, minute=5))

    html = client_for(center_staff).get("/attendance/").content.decode()

    section = html.split('class="today-events"')[1].split("</section>")[0]
    assert "今日の研修" in section
    assert earlier.title not in section
    assert f'href="/attendance/events/{today.id}/check-in/"' in section
    assert html.index("今日の研修") < html.index("先月の研修")
