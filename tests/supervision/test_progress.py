import datetime as dt

import pytest

from core.usecases import SYSTEM
from directory.models import Municipality
from supervision import services
from supervision.models import Plan, Target, Visit
from supervision.queries import is_at_risk, progress
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db


def plan(name: str, fiscal_year: int, planned: int) -> Plan:
    return services.set_plan(
        target_id=target(name).pk, fiscal_year=fiscal_year, planned=planned, actor=SYSTEM
    )


def counts(fiscal_year: int, as_of: str) -> dict[str, tuple[int, int, int]]:
    return {
        item.name: (item.done, item.scheduled, item.planned)
        for item in progress(fiscal_year=fiscal_year, as_of=dt.date.fromisoformat(as_of))
    }


def test_progress_counts_a_visit_on_3_31_in_the_old_year_and_on_4_1_in_the_new():
    plan("いの町", 2020, 2)
    plan("いの町", 2021, 2)
    VisitFactory(target=target("いの町"), starts_at=at("2021-03-31", "23:30"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2021-04-01", "00:30"), status="done")

    old_year = counts(2020, "2021-03-31")
    new_year = counts(2021, "2021-04-01")

    assert old_year == {"いの町": (1, 0, 2)}
    assert new_year == {"いの町": (1, 0, 2)}


def test_progress_counts_done_up_to_the_end_of_the_as_of_day():
    plan("須崎市", 2021, 5)
    VisitFactory(target=target("須崎市"), starts_at=at("2021-09-30", "23:59"), status="done")
    VisitFactory(target=target("須崎市"), starts_at=at("2021-10-01", "00:00"), status="scheduled")
    VisitFactory(target=target("須崎市"), starts_at=at("2021-10-02"), status="cancelled")

    result = counts(2021, "2021-09-30")

    assert result == {"須崎市": (1, 1, 5)}


def test_progress_names_targets_as_the_seed_writes_them():
    for name in ["いの町", "幡多福祉保健所管内", "若者サポートステーション"]:
        plan(name, 2021, 2)

    names = [item.name for item in progress(fiscal_year=2021, as_of=dt.date(2021, 4, 1))]

    assert names == ["いの町", "幡多福祉保健所管内", "若者サポートステーション"]


def test_progress_last_done_looks_back_into_earlier_years():
    plan("中土佐町", 2021, 2)
    VisitFactory(target=target("中土佐町"), starts_at=at("2021-03-10"), status="done")

    [item] = progress(fiscal_year=2021, as_of=dt.date(2021, 4, 9))

    assert (item.last_done_on, item.days_since_last_done) == (dt.date(2021, 3, 10), 30)


def test_progress_last_done_includes_a_visit_after_the_years_end_up_to_as_of():
    plan("いの町", 2022, 2)
    VisitFactory(target=target("いの町"), starts_at=at("2023-03-31"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2023-04-01", "09:00"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2023-04-02"), status="done")

    [item] = progress(fiscal_year=2022, as_of=dt.date(2023, 4, 1))

    assert (item.done, item.last_done_on, item.days_since_last_done) == (
        1,
        dt.date(2023, 4, 1),
        0,
    )


@pytest.mark.parametrize(
    ("planned", "done", "scheduled", "elapsed", "expected"),
    [
        (5, 2, 3, 0.5, False),  # on track: 2.5 expected, 2 done
        (5, 1, 4, 0.5, True),  # behind by 1.5 visits
        (2, 0, 2, 0.5, False),  # behind by exactly one: not yet at risk
        (5, 2, 2, 0.5, True),  # done + scheduled cannot reach the plan
        (0, 0, 0, 1.0, False),  # nothing planned
        (4, 2, 1, 0.25, True),  # ahead pro rata, but not enough scheduled
    ],
)
def test_at_risk_rule(planned, done, scheduled, elapsed, expected):
    assert is_at_risk(planned=planned, done=done, scheduled=scheduled, elapsed=elapsed) is expected


def test_progress_puts_targets_at_risk_first():
    plan("いの町", 2021, 5)
    plan("須崎市", 2021, 5)
    for day in ["2021-05-10", "2021-07-10"]:
        VisitFactory(target=target("いの町"), starts_at=at(day), status="done")
    VisitFactory(target=target("須崎市"), starts_at=at("2021-06-10"), status="done")
    for day in ["2021-10-10", "2021-12-10", "2022-02-10"]:
        VisitFactory(target=target("いの町"), starts_at=at(day))
    for day in ["2021-10-11", "2021-12-11", "2022-02-11", "2022-03-11"]:
        VisitFactory(target=target("須崎市"), starts_at=at(day))

    result = [
        (item.name, item.at_risk) for item in progress(fiscal_year=2021, as_of=dt.date(2021, 9, 30))
    ]

    assert result == [("須崎市", True), ("いの町", False)]


def test_postponing_into_the_next_year_moves_the_visit_out_of_this_years_count(center_staff):
    plan("四万十町", 2021, 2)
    plan("四万十町", 2022, 2)
    visit = VisitFactory(target=target("四万十町"), starts_at=at("2022-03-15"))

    services.postpone_visit(
        visit_id=visit.pk, new_starts_at=at("2022-04-12"), reason="先方の都合", actor=center_staff
    )

    visit.refresh_from_db()
    assert counts(2021, "2022-01-01") == {"四万十町": (0, 0, 2)}
    assert counts(2022, "2022-04-01") == {"四万十町": (0, 1, 2)}
    assert (visit.status, visit.fiscal_year, visit.sequence) == ("postponed", 2022, 1)
    assert [(p.old_starts_at, p.new_starts_at, p.reason) for p in visit.postponements.all()] == [
        (at("2022-03-15"), at("2022-04-12"), "先方の都合")
    ]


def test_postponed_visit_can_be_done_on_its_new_date(center_staff):
    plan("四万十町", 2021, 2)
    visit = VisitFactory(target=target("四万十町"), starts_at=at("2021-06-01"))
    services.postpone_visit(visit_id=visit.pk, new_starts_at=at("2021-06-20"), actor=center_staff)

    services.complete_visit(visit_id=visit.pk, actor=center_staff, now=at("2021-06-21"))

    assert counts(2021, "2021-06-30") == {"四万十町": (1, 0, 2)}


def test_plan_revisions_keep_who_when_old_new_and_why(center_staff):
    first = services.set_plan(
        target_id=target("いの町").pk, fiscal_year=2021, planned=4, actor=center_staff
    )

    services.set_plan(
        target_id=target("いの町").pk,
        fiscal_year=2021,
        planned=5,
        reason="勉強会を追加",
        actor=center_staff,
    )

    first.refresh_from_db()
    assert first.planned == 5
    assert [
        (r.revised_by, r.old_planned, r.new_planned, r.reason) for r in first.revisions.all()
    ] == [(center_staff, None, 4, ""), (center_staff, 4, 5, "勉強会を追加")]
    assert all(r.revised_at is not None for r in first.revisions.all())


def test_plan_revision_over_the_api(center_staff):
    client = client_for(center_staff)
    body = {"target_id": target("須崎市").id, "fiscal_year": 2021, "planned": 4}
    client.post("/api/supervision/plans", body, content_type="application/json")

    response = client.post(
        "/api/supervision/plans",
        {**body, "planned": 5, "reason": "ケース会議の増加"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["planned"] == 5
    assert [
        (r["revised_by"], r["old_planned"], r["new_planned"], r["reason"])
        for r in response.json()["revisions"]
    ] == [("支援 花子", None, 4, ""), ("支援 花子", 4, 5, "ケース会議の増加")]


def test_progress_endpoint_answers_per_target_with_a_plan(center_staff):
    plan("いの町", 2021, 5)
    plan("幡多福祉保健所管内", 2021, 2)
    VisitFactory(target=target("いの町"), starts_at=at("2021-05-20"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2021-08-20"), status="done")
    VisitFactory(target=target("いの町"), starts_at=at("2021-11-20"))
    VisitFactory(target=target("幡多福祉保健所管内"), starts_at=at("2021-12-01"))

    response = client_for(center_staff).get(
        "/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30"
    )

    assert response.status_code == 200
    assert [
        {k: row[k] for k in ["name", "planned", "done", "scheduled", "at_risk", "last_done_on"]}
        for row in response.json()["items"]
    ] == [
        {
            "name": "いの町",
            "planned": 5,
            "done": 2,
            "scheduled": 1,
            "at_risk": True,
            "last_done_on": "2021-08-20",
        },
        {
            "name": "幡多福祉保健所管内",
            "planned": 2,
            "done": 0,
            "scheduled": 1,
            "at_risk": True,
            "last_done_on": None,
        },
    ]


def test_progress_endpoint_filters_by_block_district_and_kind(center_staff):
    for name in ["いの町", "須崎市", "幡多福祉保健所管内", "若者サポートステーション"]:
        plan(name, 2021, 2)
    west = Municipality.objects.get(name="須崎市").block_id
    susaki = Municipality.objects.get(name="須崎市").district_id
    client = client_for(center_staff)

    def names(query):
        response = client.get(
            f"/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30&{query}"
        )
        return sorted(row["name"] for row in response.json()["items"])

    assert names(f"block_id={west}") == ["幡多福祉保健所管内", "須崎市"]
    assert names(f"district_id={susaki}") == ["須崎市"]
    assert names("kind=organization") == ["若者サポートステーション"]


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("center", ["いの町", "幡多福祉保健所管内", "宿毛市", "須崎市"]),
        ("superuser", ["いの町", "幡多福祉保健所管内", "宿毛市", "須崎市"]),
        ("health_office", ["幡多福祉保健所管内", "宿毛市"]),
        ("municipal", ["いの町"]),
    ],
)
def test_progress_endpoint_is_scoped_by_role(personas, role, names):
    for name in ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]:
        plan(name, 2021, 2)

    response = client_for(personas[role]).get("/api/supervision/progress?fiscal_year=2021")

    assert sorted(row["name"] for row in response.json()["items"]) == sorted(names)


def test_progress_endpoint_answers_404_to_the_outsider_and_401_anonymous(outsider):
    from django.test import Client

    url = "/api/supervision/progress?fiscal_year=2021"

    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def bench_targets(count: int) -> None:
    """Partner organizations as extra targets, each with a plan and visits."""
    from directory.models import PartnerOrganization

    orgs = PartnerOrganization.objects.bulk_create(
        PartnerOrganization(name=f"検証用団体{i:04d}", kind="other") for i in range(count)
    )
    targets = Target.objects.bulk_create(
        Target(kind="organization", organization=org) for org in orgs
    )
    Plan.objects.bulk_create(Plan(target=t, fiscal_year=2021, planned=3) for t in targets)
    # Every other target's last done visit lies in the previous fiscal year.
    Visit.objects.bulk_create(
        Visit(
            target=t,
            kind="supervision",
            starts_at=at(day),
            ends_at=at(day, "12:00"),
            status=status,
        )
        for index, t in enumerate(targets)
        for day, status in [
            ("2021-05-01" if index % 2 else "2021-03-01", "done"),
            ("2021-11-01", "scheduled"),
        ]
    )


@pytest.mark.parametrize("count", [3, 300])
def test_progress_endpoint_query_count_does_not_grow(
    center_staff, django_assert_num_queries, count
):
    bench_targets(count)
    client = client_for(center_staff)
    client.get("/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30")  # warm the session

    # session, user, then the aggregate, the names, the last done visits of earlier years
    with django_assert_num_queries(5):
        response = client.get(
            "/api/supervision/progress?fiscal_year=2021&as_of=2021-09-30&limit=500"
        )

    assert len(response.json()["items"]) == response.json()["count"] == count
    assert {(r["done"], r["scheduled"]) for r in response.json()["items"]} == {(1, 1), (0, 1)}
    assert {r["last_done_on"] for r in response.json()["items"]} == {"2021-05-01", "2021-03-01"}


@pytest.mark.parametrize(
    "query", ["fiscal_year=abc", "as_of=2021-13-01", "kind=village", "block_id=x"]
)
def test_progress_endpoint_bad_input_is_a_clear_error(center_staff, query):
    response = client_for(center_staff).get(f"/api/supervision/progress?{query}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]
