import datetime as dt

import pytest
from django.test import Client

from core.fiscal import TOKYO
from supervision.models import Plan, Visit
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db

NOTES = "本人Aさんの状況（機微情報）"


def post(user, url, body):
    return client_for(user).post(url, body, content_type="application/json")


def test_schedule_a_visit_with_staff_and_get_it_back(center_staff):
    body = {
        "target_id": target("いの町").id,
        "kind": "case_meeting",
        "starts_at": "2021-06-15T13:30:00+09:00",
        "place": "いの町役場",
        "staff_ids": [center_staff.id],
        "public_summary": "ケース会議に参加",
    }

    response = post(center_staff, "/api/supervision/visits", body)

    visit = Visit.objects.get()
    assert response.status_code == 200
    assert response.json()["warnings"] == []
    assert response.json()["visit"] | {"updated_at": None} == {
        "id": visit.id,
        "ical_uid": f"visit-{visit.id}@sasaeru",
        "target_id": target("いの町").id,
        "target_name": "いの町",
        "kind": "case_meeting",
        "starts_at": "2021-06-15T13:30:00+09:00",
        "ends_at": "2021-06-15T15:30:00+09:00",
        "fiscal_year": 2021,
        "place": "いの町役場",
        "status": "scheduled",
        "staff": [{"id": center_staff.id, "name": "支援 花子"}],
        "public_summary": "ケース会議に参加",
        "confidential_notes": "",
        "cancel_reason": "",
        "cancelled_at": None,
        "completed_at": None,
        "sequence": 0,
        "updated_at": None,
    }


def test_schedule_on_a_holiday_and_double_booked_warns(center_staff):
    VisitFactory(target=target("須崎市"), starts_at=at("2021-11-03", "13:00")).staff.add(
        center_staff
    )

    response = post(
        center_staff,
        "/api/supervision/visits",
        {
            "target_id": target("いの町").id,
            "kind": "study_session",
            "starts_at": "2021-11-03T14:00:00+09:00",
            "staff_ids": [center_staff.id],
        },
    )

    assert response.status_code == 200
    assert response.json()["warnings"] == [
        {"code": "holiday", "message": "令和3年11月3日（水） は祝日（文化の日）です。"},
        {
            "code": "double_booked",
            "message": "支援 花子 さんは 令和3年11月3日（水） 13:00 に 須崎市 への訪問があります。",
        },
    ]


def test_scheduling_warnings_for_the_year_end_break(center_staff):
    response = client_for(center_staff).get(
        "/api/supervision/scheduling-warnings?starts_at=2021-12-29T10:00:00"
    )

    assert response.json() == [
        {"code": "year_end", "message": "令和3年12月29日（水） は年末年始です。"}
    ]


def test_plan_a_series_of_visits_at_once(center_staff):
    dates = ["2021-05-20", "2021-07-15", "2021-09-16", "2021-11-18", "2022-01-20"]

    response = post(
        center_staff,
        "/api/supervision/visits/series",
        {
            "target_id": target("若者サポートステーション").id,
            "kind": "business_review",
            "starts_at": [f"{day}T14:00:00+09:00" for day in dates],
            "minutes": 90,
        },
    )

    assert response.status_code == 200
    assert [
        (v.starts_at.astimezone(TOKYO).date().isoformat(), v.kind, v.ends_at - v.starts_at)
        for v in Visit.objects.all()
    ] == [(day, "business_review", dt.timedelta(minutes=90)) for day in dates]
    assert len({v["id"] for v in response.json()["visits"]}) == 5


def test_complete_cancel_and_postpone_over_the_api(center_staff):
    done = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))
    cancelled = VisitFactory(target=target("いの町"), starts_at=at("2021-07-01"))
    moved = VisitFactory(target=target("いの町"), starts_at=at("2021-08-01"))

    completed = post(
        center_staff,
        f"/api/supervision/visits/{done.id}/complete",
        {"public_summary": "支援方針を確認", "confidential_notes": NOTES},
    )
    cancel = post(
        center_staff, f"/api/supervision/visits/{cancelled.id}/cancel", {"reason": "台風"}
    )
    postpone = post(
        center_staff,
        f"/api/supervision/visits/{moved.id}/postpone",
        {"new_starts_at": "2021-08-20T10:00:00+09:00", "reason": "先方都合"},
    )

    assert [completed.status_code, cancel.status_code, postpone.status_code] == [200, 200, 200]
    assert (completed.json()["status"], completed.json()["confidential_notes"]) == ("done", NOTES)
    assert (cancel.json()["status"], cancel.json()["cancel_reason"], cancel.json()["sequence"]) == (
        "cancelled",
        "台風",
        1,
    )
    assert cancel.json()["cancelled_at"] is not None
    assert postpone.json()["status"] == "postponed"
    assert postpone.json()["starts_at"] == "2021-08-20T10:00:00+09:00"
    assert [p["old_starts_at"] for p in postpone.json()["postponements"]] == [
        "2021-08-01T10:00:00+09:00"
    ]


# --- confidentiality ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "notes"),
    [
        ("center", NOTES),
        ("superuser", NOTES),
        ("health_office", None),
        ("municipal", None),
    ],
)
def test_confidential_notes_are_for_center_staff_only(personas, role, notes):
    ino = VisitFactory(
        target=target("いの町"),
        starts_at=at("2021-06-01"),
        status="done",
        confidential_notes=NOTES,
        public_summary="公開",
    )
    hata = VisitFactory(
        target=target("幡多福祉保健所管内"),
        starts_at=at("2021-06-02"),
        status="done",
        confidential_notes=NOTES,
    )
    visible = {"health_office": hata, "municipal": ino}.get(role, ino)
    client = client_for(personas[role])

    detail = client.get(f"/api/supervision/visits/{visible.id}").json()
    listed = client.get("/api/supervision/visits?fiscal_year=2021").json()["items"]

    assert detail["confidential_notes"] == notes
    assert {row["confidential_notes"] for row in listed} == {notes}
    if notes is None:
        assert NOTES not in client.get("/api/supervision/visits").content.decode()


def test_confidential_notes_never_reach_the_outsider_or_anonymous(outsider):
    visit = VisitFactory(
        target=target("いの町"), starts_at=at("2021-06-01"), status="done", confidential_notes=NOTES
    )

    assert client_for(outsider).get(f"/api/supervision/visits/{visit.id}").status_code == 404
    assert Client().get(f"/api/supervision/visits/{visit.id}").status_code == 401


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("health_office", ["宿毛市", "幡多福祉保健所管内"]),
        ("municipal", ["いの町"]),
    ],
)
def test_visits_are_scoped_by_role(personas, role, names):
    for name in ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]:
        VisitFactory(target=target(name), starts_at=at("2021-06-01"))

    response = client_for(personas[role]).get("/api/supervision/visits")

    assert [row["target_name"] for row in response.json()["items"]] == names


# --- bad input: a clear error, nothing changed ------------------------------------------


def test_plan_below_zero_is_refused(center_staff):
    response = post(
        center_staff,
        "/api/supervision/plans",
        {"target_id": target("いの町").id, "fiscal_year": 2021, "planned": -1},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "payload", "planned"],
            "msg": "0 から 100 までの整数を入力してください。",
            "type": "int_range",
        }
    ]
    assert Plan.objects.count() == 0


def test_visit_for_an_unknown_target_is_refused(center_staff):
    response = post(
        center_staff,
        "/api/supervision/visits",
        {"target_id": 999999, "kind": "other", "starts_at": "2021-06-01T10:00:00+09:00"},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "target_id"
    assert Visit.objects.count() == 0


def test_a_done_visit_in_the_future_is_refused(center_staff):
    visit = VisitFactory(
        target=target("いの町"), starts_at=at((dt.date.today() + dt.timedelta(days=7)).isoformat())
    )

    response = post(center_staff, f"/api/supervision/visits/{visit.id}/complete", {})

    visit.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["detail"] == "まだ来ていない訪問は実施済にできません。"
    assert visit.status == "scheduled"


def test_postponing_a_cancelled_visit_is_refused(center_staff):
    visit = VisitFactory(
        target=target("いの町"),
        starts_at=at("2021-06-01"),
        status="cancelled",
        cancel_reason="台風",
    )

    response = post(
        center_staff,
        f"/api/supervision/visits/{visit.id}/postpone",
        {"new_starts_at": "2021-06-20T10:00:00+09:00"},
    )

    visit.refresh_from_db()
    assert response.status_code == 409
    assert response.json() == {"detail": "中止した訪問は延期できません。", "code": "cancelled"}
    assert (visit.status, visit.starts_at, visit.postponements.count()) == (
        "cancelled",
        at("2021-06-01"),
        0,
    )


def test_a_municipal_user_touching_another_municipality_is_refused(municipal_staff):
    other = VisitFactory(target=target("須崎市"), starts_at=at("2021-06-01"))
    own = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))

    other_answer = post(
        municipal_staff, f"/api/supervision/visits/{other.id}/cancel", {"reason": "x"}
    )
    own_answer = post(municipal_staff, f"/api/supervision/visits/{own.id}/cancel", {"reason": "x"})
    plan_answer = post(
        municipal_staff,
        "/api/supervision/plans",
        {"target_id": target("須崎市").id, "fiscal_year": 2021, "planned": 9},
    )

    assert [other_answer.status_code, own_answer.status_code, plan_answer.status_code] == [
        404,
        403,
        403,
    ]
    assert set(Visit.objects.values_list("status", flat=True)) == {"scheduled"}
    assert Plan.objects.count() == 0


def test_cancelling_needs_a_reason(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))

    response = post(center_staff, f"/api/supervision/visits/{visit.id}/cancel", {"reason": " "})

    visit.refresh_from_db()
    assert response.status_code == 422
    assert visit.status == "scheduled"


def test_only_center_staff_can_be_assigned(center_staff, municipal_staff):
    response = post(
        center_staff,
        "/api/supervision/visits",
        {
            "target_id": target("いの町").id,
            "kind": "other",
            "starts_at": "2021-06-01T10:00:00+09:00",
            "staff_ids": [municipal_staff.id],
        },
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "staff"
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("count", [1, 40])
def test_visit_list_query_count_does_not_grow(center_staff, django_assert_num_queries, count):
    helper = UserFactory(role="center")
    for index in range(count):
        visit = VisitFactory(
            target=target("いの町"),
            starts_at=at((dt.date(2021, 5, 1) + dt.timedelta(days=index)).isoformat()),
        )
        visit.staff.add(center_staff, helper)
    client = client_for(center_staff)
    client.get("/api/supervision/visits")

    # session, user, the count, the page, its staff
    with django_assert_num_queries(5):
        response = client.get("/api/supervision/visits?fiscal_year=2021")

    assert len(response.json()["items"]) == response.json()["count"] == count


def test_a_postponement_whose_carried_length_leaves_the_range_is_a_conflict(center_staff):
    visit = VisitFactory(
        target=target("いの町"),
        starts_at=at("2021-06-01"),
        ends_at=at("2100-06-01"),
    )

    response = post(
        center_staff,
        f"/api/supervision/visits/{visit.id}/postpone",
        {"new_starts_at": "2027-06-01T10:00:00+09:00"},
    )

    visit.refresh_from_db()
    assert response.status_code == 409
    assert "令和83年3月31日" in response.json()["detail"]
    assert visit.status == "scheduled" and visit.starts_at == at("2021-06-01")
