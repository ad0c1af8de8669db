import pytest

from directory.models import Block, District
from tests.conftest import client_for
from training.models import Event

pytestmark = pytest.mark.django_db


def post(user, url, body):
    return client_for(user).post(url, body, content_type="application/json")


def test_plan_a_liaison_meeting_over_the_api(center_staff):
    west = Block.objects.get(name="西部")
    susaki = District.objects.get(name="須崎")

    response = post(
        center_staff,
        "/api/supervision/liaison-meetings",
        {
            "block_id": west.pk,
            "starts_at": "2021-06-10T13:30:00+09:00",
            "venue": "須崎市民文化会館",
            "co_host_district_id": susaki.pk,
            "invited_organization_kinds": ["social_welfare_council", "medical"],
        },
    )

    event = Event.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "id": event.pk,
        "ical_uid": f"event-{event.pk}@sasaeru",
        "title": "西部ブロック ひきこもり支援者連絡会議",
        "starts_at": "2021-06-10T13:30:00+09:00",
        "ends_at": "2021-06-10T15:30:00+09:00",
        "venue": "須崎市民文化会館",
        "status": "published",
        "block_id": west.pk,
        "co_host_district_id": susaki.pk,
        "invited_organization_kinds": ["social_welfare_council", "medical"],
    }
    assert event.kind == "liaison_meeting"


def test_liaison_meeting_bad_input_changes_nothing(center_staff, municipal_staff):
    west = Block.objects.get(name="西部").pk
    body = {"block_id": west, "starts_at": "2021-06-10T13:30:00+09:00", "venue": "会場"}

    unknown_kind = post(
        center_staff,
        "/api/supervision/liaison-meetings",
        {**body, "invited_organization_kinds": ["bakery"]},
    )
    unknown_block = post(
        center_staff, "/api/supervision/liaison-meetings", {**body, "block_id": 999}
    )
    municipal = post(municipal_staff, "/api/supervision/liaison-meetings", body)

    assert [unknown_kind.status_code, unknown_block.status_code, municipal.status_code] == [
        422,
        422,
        403,
    ]
    assert "invited_organization_kinds" in unknown_kind.json()["detail"][0]["loc"]
    assert Event.objects.count() == 0


def test_liaison_cadence_over_the_api(center_staff):
    central = Block.objects.get(name="中央")
    post(
        center_staff,
        "/api/supervision/liaison-cadence",
        {"block_id": central.pk, "fiscal_year": 2021, "expected": 3},
    )
    for day in ["2021-06-16", "2021-12-09"]:
        post(
            center_staff,
            "/api/supervision/liaison-meetings",
            {"block_id": central.pk, "starts_at": f"{day}T13:30:00+09:00", "venue": "会場"},
        )

    response = client_for(center_staff).get(
        "/api/supervision/liaison-cadence?fiscal_year=2021&as_of=2021-10-01"
    )

    assert [
        (row["block_name"], row["held"], row["expected"], row["scheduled"], row["flagged"])
        for row in response.json()
    ] == [("西部", 0, 2, 0, True), ("中央", 1, 3, 1, False), ("東部", 0, 2, 0, True)]
    assert response.json()[1]["meetings_held"][0]["starts_at"] == "2021-06-16T13:30:00+09:00"


def test_cadence_below_zero_is_refused(center_staff):
    response = post(
        center_staff,
        "/api/supervision/liaison-cadence",
        {"block_id": Block.objects.first().pk, "fiscal_year": 2021, "expected": -1},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "expected"


def test_calendar_api_marks_holidays_and_the_year_end(center_staff):
    response = client_for(center_staff).get("/api/supervision/calendar?date=2021-12-29&view=week")

    assert [(day["date"], day["holiday"]) for day in response.json()] == [
        ("2021-12-27", None),
        ("2021-12-28", None),
        ("2021-12-29", "年末年始"),
        ("2021-12-30", "年末年始"),
        ("2021-12-31", "年末年始"),
        ("2022-01-01", "年末年始"),
        ("2022-01-02", "年末年始"),
    ]


def test_lecturer_dispatch_over_the_api_and_double_booking(center_staff):
    dispatch = post(
        center_staff,
        "/api/supervision/dispatches",
        {
            "title": "ひきこもり理解講座",
            "host": "土佐市社会福祉協議会",
            "starts_at": "2021-07-29T13:30:00+09:00",
            "staff_ids": [center_staff.pk],
        },
    )

    warnings = client_for(center_staff).get(
        "/api/supervision/scheduling-warnings?starts_at=2021-07-29T14:00:00%2B09:00"
        f"&staff_ids={center_staff.pk}"
    )

    assert dispatch.status_code == 200
    assert dispatch.json()["ical_uid"] == f"dispatch-{dispatch.json()['id']}@sasaeru"
    assert warnings.json() == [
        {
            "code": "double_booked",
            "message": "支援 花子 さんは 令和3年7月29日（木） 13:30 に 土佐市社会福祉協議会 で講師派遣があります。",
        }
    ]
