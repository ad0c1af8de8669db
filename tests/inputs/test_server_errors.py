"""Issue #23, the 500s left: reminder days for a topic of the wrong kind, the staff calendar at
impossible dates, and ids beyond 64 bits in HTML forms and query strings (SQLite overflowed
where PostgreSQL answered). Each answer is a 4xx or a page that says what it did, never a 500,
and nothing is written."""

import pytest

from directory.models import Municipality
from supervision.models import Visit
from tests.conftest import client_for
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Event, EventPart

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # 9223372036854775808: one more than a 64-bit id holds


@pytest.mark.parametrize(
    "topic",
    [
        "supervision.visit:{visit}",
        "directory.user:{user}",
        "directory.municipality:{municipality}",
        "training.registration:1",
    ],
)
def test_reminder_days_for_a_topic_of_another_kind_are_a_422_naming_the_topic(center_staff, topic):
    visit = VisitFactory()
    topic = topic.format(
        visit=visit.pk, user=center_staff.pk, municipality=Municipality.objects.first().pk
    )

    response = client_for(center_staff).put(
        "/api/notifications/reminder-days",
        {"topic": topic, "kind": "training.event_reminder", "days": []},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "topic"
    assert "研修" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2101-04-01", "1999-12-31"])
@pytest.mark.parametrize("view", ["month", "week"])
def test_staff_calendar_at_an_impossible_date_shows_today_and_says_so(center_staff, date, view):
    response = client_for(center_staff).get("/supervision/calendar/", {"date": date, "view": view})

    assert response.status_code == 200
    assert (
        "日付は 平成12年4月1日（土） から 令和83年3月31日（木） までの範囲で入力してください。"
        in (response.content.decode())
    )


@pytest.mark.parametrize("date", ["2000-04-01", "2101-03-31"])
@pytest.mark.parametrize("view", ["month", "week"])
def test_staff_calendar_at_the_first_and_last_supported_day(center_staff, date, view):
    response = client_for(center_staff).get("/supervision/calendar/", {"date": date, "view": view})

    assert response.status_code == 200
    assert "範囲で入力してください" not in response.content.decode()


@pytest.mark.parametrize("value", [HUGE, str(-(2**63) - 1), "1e400", "0x10"])
@pytest.mark.parametrize("name", ["block", "staff"])
def test_staff_calendar_with_an_impossible_id_in_the_query(center_staff, name, value):
    response = client_for(center_staff).get("/supervision/calendar/", {name: value})

    assert response.status_code == 200


def _event_form(staff: str) -> dict:
    return {
        "title": "講義",
        "kind": "lecture",
        "starts_at": "2030-05-01T13:00",
        "ends_at": "2030-05-01T15:00",
        "capacity": "30",
        "promotion_cutoff_hours": "48",
        "staff": staff,
    }


@pytest.mark.parametrize("value", [HUGE, str(2**64), "-" + HUGE])
def test_staff_event_form_with_a_huge_staff_id(center_staff, value):
    response = client_for(center_staff).post("/training/staff/events/new/", _event_form(value))

    assert response.status_code == 422
    assert "正しく選択してください" in response.content.decode()
    assert Event.objects.count() == 0


@pytest.mark.parametrize("value", [HUGE, str(2**64)])
def test_event_part_form_with_a_huge_lecturer_id(center_staff, value):
    event = EventFactory()

    response = client_for(center_staff).post(
        f"/training/staff/events/{event.pk}/parts/new/",
        {
            "title": "第1部",
            "starts_at": "2030-05-01T13:00",
            "ends_at": "2030-05-01T14:00",
            "lecturers": value,
        },
    )

    assert response.status_code in (200, 422)
    assert "正しく選択してください" in response.content.decode()
    assert EventPart.objects.count() == 0


@pytest.mark.parametrize("value", [HUGE, str(2**64)])
def test_visit_form_with_a_huge_staff_or_target_id(center_staff, value):
    before = Visit.objects.count()

    response = client_for(center_staff).post(
        "/supervision/visits/new/",
        {"target": value, "kind": "visit", "date": "2030-05-01T10:00", "staff": value},
    )

    assert response.status_code in (200, 422)
    assert "正しく選択してください" in response.content.decode()
    assert Visit.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {f"municipality_{HUGE}": "1"},
        {"municipality_1": HUGE},
        {f"district_{HUGE}": "1"},
        {"district_1": HUGE},
    ],
)
def test_areas_assignment_with_huge_ids_changes_nothing(center_staff, data):
    before = list(Municipality.objects.values_list("pk", "district_id", "block_id"))

    response = client_for(center_staff).post("/account/areas/", {"action": "assign", **data})

    assert response.status_code == 422
    assert "管内またはブロックが見つかりません。" in response.content.decode()
    assert list(Municipality.objects.values_list("pk", "district_id", "block_id")) == before
