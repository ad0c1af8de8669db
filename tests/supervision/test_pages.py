import datetime as dt
import re

import pytest
from django.test import Client

from core.usecases import SYSTEM
from directory.models import Block, District
from supervision import services
from supervision.models import CaseMeeting, Visit
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory
from training.models import Event

pytestmark = pytest.mark.django_db

NOTES = "本人Bさん（機微情報）"


def plan(name, planned, fiscal_year=2021):
    services.set_plan(
        target_id=target(name).pk, fiscal_year=fiscal_year, planned=planned, actor=SYSTEM
    )


PAGES = [
    "/supervision/?fiscal_year=2021&as_of=2021-09-30",
    "/supervision/calendar/?date=2021-06-01",
    "/supervision/calendar/?view=week&date=2021-06-10",
    "/supervision/case-meetings/?fy=2021",
    "/supervision/liaison-meetings/?fy=2021",
]


@pytest.mark.parametrize("role", ["center", "health_office", "municipal", "superuser"])
def test_supervision_pages_answer_every_role(personas, role):
    client = client_for(personas[role])

    statuses = [client.get(url).status_code for url in PAGES]

    assert statuses == [200] * len(PAGES)


def test_supervision_pages_answer_404_to_the_outsider_and_login_to_anonymous(outsider):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))
    urls = [*PAGES, f"/supervision/visits/{visit.pk}/", f"/supervision/targets/{visit.target_id}/"]

    outsider_statuses = [client_for(outsider).get(url).status_code for url in urls]
    anonymous = [Client().get(url) for url in urls]

    assert outsider_statuses == [404] * len(urls)
    assert {(r.status_code, r.url.split("?")[0]) for r in anonymous} == {(302, "/login/")}


def test_dashboard_shows_done_over_planned_at_risk_first(center_staff):
    plan("いの町", 5)
    plan("須崎市", 5)
    for day in ["2021-05-10", "2021-07-10"]:
        VisitFactory(target=target("いの町"), starts_at=at(day), status="done")
    VisitFactory(target=target("須崎市"), starts_at=at("2021-06-10"), status="done")
    for day in ["2021-10-10", "2021-12-10", "2022-02-10"]:
        VisitFactory(target=target("いの町"), starts_at=at(day))
        VisitFactory(target=target("須崎市"), starts_at=at(day))

    html = client_for(center_staff).get(PAGES[0]).content.decode()

    assert html.index('data-target="須崎市"') < html.index('data-target="いの町"')
    assert '<strong class="ratio">2 / 5</strong>' in html
    assert '<strong class="ratio">1 / 5</strong>' in html


@pytest.mark.parametrize(
    ("role", "names"),
    [
        ("center", ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]),
        ("health_office", ["宿毛市", "幡多福祉保健所管内"]),
        ("municipal", ["いの町"]),
    ],
)
def test_dashboard_is_scoped_by_role(personas, role, names):
    for name in ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]:
        plan(name, 2)

    html = client_for(personas[role]).get(PAGES[0]).content.decode()

    assert [
        name
        for name in ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]
        if f'data-target="{name}"' in html
    ] == names


def test_dashboard_filters_by_block_and_kind(center_staff):
    for name in ["いの町", "須崎市", "若者サポートステーション"]:
        plan(name, 2)
    west = Block.objects.get(name="西部").pk

    by_block = client_for(center_staff).get(f"{PAGES[0]}&block={west}").content.decode()
    by_kind = client_for(center_staff).get(f"{PAGES[0]}&kind=organization").content.decode()

    assert ['data-target="須崎市"' in by_block, 'data-target="いの町"' in by_block] == [True, False]
    assert [
        'data-target="若者サポートステーション"' in by_kind,
        'data-target="須崎市"' in by_kind,
    ] == [True, False]


@pytest.mark.parametrize(
    ("role", "sees_notes"),
    [("center", True), ("superuser", True), ("health_office", False), ("municipal", False)],
)
def test_confidential_notes_on_pages_are_for_center_staff_only(personas, role, sees_notes):
    visit = VisitFactory(
        target=target("いの町"),
        starts_at=at("2021-06-01"),
        status="done",
        confidential_notes=NOTES,
        public_summary="公開の概要",
    )
    hata = VisitFactory(
        target=target("幡多福祉保健所管内"),
        starts_at=at("2021-06-01"),
        status="done",
        confidential_notes=NOTES,
    )
    plan("いの町", 2)
    plan("幡多福祉保健所管内", 2)
    shown = hata if role == "health_office" else visit
    client = client_for(personas[role])

    pages = [
        client.get(f"/supervision/visits/{shown.pk}/"),
        client.get(f"/supervision/targets/{shown.target_id}/?fy=2021"),
        client.get(PAGES[0]),
        client.get("/supervision/calendar/?date=2021-06-01"),
    ]

    assert [page.status_code for page in pages] == [200] * 4
    assert [NOTES in page.content.decode() for page in pages] == [
        sees_notes,
        sees_notes,
        False,
        False,
    ]


def test_municipal_staff_cannot_open_another_municipalitys_visit(municipal_staff):
    other = VisitFactory(target=target("須崎市"), starts_at=at("2021-06-01"))

    page = client_for(municipal_staff).get(f"/supervision/visits/{other.pk}/")
    action = client_for(municipal_staff).post(
        f"/supervision/visits/{other.pk}/cancel/", {"reason": "x"}
    )

    other.refresh_from_db()
    assert (page.status_code, action.status_code, other.status) == (404, 404, "scheduled")


def test_complete_from_the_dashboard_returns_to_it(center_staff):
    plan("いの町", 5)
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))
    url = "/supervision/?fiscal_year=2021&as_of=2021-09-30"

    response = client_for(center_staff).post(
        f"/supervision/visits/{visit.pk}/complete/", {"next": url}
    )

    visit.refresh_from_db()
    assert (response.status_code, response.url) == (302, url)
    assert visit.status == "done"


def test_postpone_and_cancel_pages(center_staff):
    moved = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"))
    cancelled = VisitFactory(target=target("いの町"), starts_at=at("2021-06-02"))
    client = client_for(center_staff)

    client.post(
        f"/supervision/visits/{moved.pk}/postpone/",
        {"date": "2022-04-05", "time": "10:00", "reason": "先方都合"},
    )
    client.post(f"/supervision/visits/{cancelled.pk}/cancel/", {"reason": "台風"})
    again = client.post(
        f"/supervision/visits/{cancelled.pk}/postpone/", {"date": "2021-07-01", "time": "10:00"}
    )

    moved.refresh_from_db()
    cancelled.refresh_from_db()
    assert (moved.status, moved.starts_at, moved.fiscal_year) == (
        "postponed",
        at("2022-04-05"),
        2022,
    )
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "台風")
    assert again.status_code == 422
    assert "中止した訪問は延期できません。" in again.content.decode()


def test_schedule_page_warns_about_a_holiday(center_staff):
    response = client_for(center_staff).post(
        "/supervision/visits/new/",
        {
            "target": target("須崎市").pk,
            "kind": "case_meeting",
            "date": "2021-11-23",
            "time": "13:30",
            "minutes": 120,
            "staff": [center_staff.pk],
        },
        follow=True,
    )

    assert Visit.objects.get().starts_at == at("2021-11-23", "13:30")
    assert "令和3年11月23日（火） は祝日（勤労感謝の日）です。" in response.content.decode()


def test_series_page_schedules_each_visit(center_staff):
    client_for(center_staff).post(
        "/supervision/visits/series/",
        {
            "target": target("若者サポートステーション").pk,
            "kind": "business_review",
            "first_date": "2021-05-20",
            "time": "14:00",
            "count": 5,
            "every": "2m",
            "minutes": 90,
        },
    )

    assert [v.date.isoformat() for v in Visit.objects.all()] == [
        "2021-05-20", "2021-07-20", "2021-09-20", "2021-11-20", "2022-01-20",
    ]  # fmt: skip


def test_plan_page_keeps_revisions_and_refuses_below_zero(center_staff):
    url = f"/supervision/targets/{target('いの町').pk}/?fy=2021"
    client = client_for(center_staff)
    client.post(url, {"planned": 4})
    client.post(url, {"planned": 5, "reason": "勉強会の追加"})

    refused = client.post(url, {"planned": -1, "reason": "x"})

    html = client.get(url).content.decode()
    assert refused.status_code == 422
    assert "予定回数は0以上にしてください。" in refused.content.decode()
    assert "4 → 5" in html
    assert "勉強会の追加" in html


def test_case_meeting_goal_counts_visits_and_recorded_meetings(center_staff):
    VisitFactory(
        target=target("いの町"), starts_at=at("2021-06-01"), status="done", kind="case_meeting"
    )
    VisitFactory(
        target=target("須崎市"), starts_at=at("2021-06-01"), status="done", kind="study_session"
    )
    VisitFactory(
        target=target("四万十町"),
        starts_at=at("2021-06-01"),
        status="scheduled",
        kind="case_meeting",
    )
    VisitFactory(
        target=target("中土佐町"), starts_at=at("2021-03-31"), status="done", kind="case_meeting"
    )
    CaseMeeting.objects.create(
        municipality=target("高知市").municipality, held_on=dt.date(2021, 8, 1)
    )

    response = client_for(center_staff).get("/api/supervision/case-meeting-goal?fiscal_year=2021")

    assert response.json()["count"] == 2
    assert response.json()["total"] == 34
    assert [m["name"] for m in response.json()["held"]] == ["高知市", "いの町"]
    assert len(response.json()["without"]) == 32


def test_calendar_marks_holidays_and_shows_every_kind(center_staff):
    VisitFactory(target=target("いの町"), starts_at=at("2021-05-03", "10:00"))  # 憲法記念日
    services.record_lecturer_dispatch(
        title="ひきこもり理解講座",
        host="土佐市社会福祉協議会",
        starts_at=at("2021-05-12", "13:30"),
        actor=SYSTEM,
    )
    services.plan_liaison_meeting(
        block_id=Block.objects.get(name="西部").pk,
        starts_at=at("2021-05-20", "13:30"),
        venue="須崎市立市民文化会館",
        co_host_district_id=District.objects.get(name="須崎").pk,
        actor=SYSTEM,
    )

    html = client_for(center_staff).get("/supervision/calendar/?date=2021-05-01").content.decode()

    assert "憲法記念日" in html
    assert "いの町 スーパーバイズ" in html
    assert "ひきこもり理解講座（土佐市社会福祉協議会）" in html
    assert "西部ブロック ひきこもり支援者連絡会議" in html


@pytest.mark.parametrize("count", [1, 130])
def test_dashboard_query_count_does_not_grow(center_staff, django_assert_num_queries, count):
    from directory.models import PartnerOrganization
    from supervision.models import Target
    from tests.supervision.test_progress import bench_targets

    bench_targets(count)
    unplanned = PartnerOrganization.objects.bulk_create(
        PartnerOrganization(name=f"計画なし団体{i:04d}", kind="other") for i in range(count)
    )
    Target.objects.bulk_create(Target(kind="organization", organization=o) for o in unplanned)
    for index in range(count):
        VisitFactory(
            target=target("いの町"),
            starts_at=at((dt.date(2021, 5, 1) + dt.timedelta(days=index)).isoformat()),
        )
    client = client_for(center_staff)
    client.get(PAGES[0])

    # 14, plus the previous year's progress for the comparison chart (2 here: that year has no
    # plan, so no last-visit query) and the invented-year check (1)
    with django_assert_num_queries(17):
        client.get(PAGES[0])


def test_liaison_cadence_counts_held_and_scheduled_and_flags(center_staff):
    west, central, east = Block.objects.all()
    for block, day in [
        (west, "2021-06-10"),
        (central, "2021-06-16"),
        (east, "2021-06-25"),
        (central, "2021-11-10"),
    ]:
        services.plan_liaison_meeting(
            block_id=block.pk, starts_at=at(day), venue="会場", actor=SYSTEM
        )
    services.set_meeting_cadence(block_id=east.pk, fiscal_year=2021, expected=1, actor=SYSTEM)

    result = {
        c.block.name: (c.held_count, c.scheduled_count, c.expected, c.flagged)
        for c in __import__("supervision.queries").queries.liaison_cadence(
            fiscal_year=2021, as_of=dt.date(2021, 10, 1)
        )
    }

    assert result == {
        "西部": (1, 0, 2, True),
        "中央": (1, 1, 2, False),
        "東部": (1, 0, 1, False),
    }
    assert Event.objects.liaison_meetings().count() == 4


def test_plan_a_liaison_meeting_and_the_expected_number_from_the_pages(center_staff):
    west = Block.objects.get(name="西部")
    client = client_for(center_staff)

    client.post(
        "/supervision/liaison-meetings/new/",
        {
            "block": west.pk,
            "date": "2021-06-10",
            "time": "13:30",
            "minutes": 150,
            "venue": "須崎市民文化会館",
            "co_host_district": District.objects.get(name="須崎").pk,
            "invited_organization_kinds": ["social_welfare_council", "medical"],
            "staff": [center_staff.pk],
        },
    )
    client.post(f"/supervision/liaison-meetings/expected/{west.pk}/?fy=2021", {"expected": 3})
    html = client.get("/supervision/liaison-meetings/?fy=2021&as_of=2021-10-01").content.decode()

    event = Event.objects.get()
    assert (
        event.kind,
        event.block,
        event.co_host_district.name,
        event.invited_organization_kinds,
    ) == (
        "liaison_meeting",
        west,
        "須崎",
        ["social_welfare_council", "medical"],
    )
    assert '<strong class="ratio">1 / 3</strong>' in html
    assert "2回目が未定" in html


def test_record_a_case_meeting_and_a_dispatch_from_the_pages(center_staff):
    client = client_for(center_staff)

    client.post(
        "/supervision/case-meetings/?fy=2021",
        {"municipality": target("土佐町").municipality_id, "held_on": "2021-07-01", "remarks": ""},
    )
    future = client.post(
        "/supervision/case-meetings/?fy=2021",
        {"municipality": target("土佐町").municipality_id, "held_on": "2099-07-01"},
    )
    client.post(
        "/supervision/dispatches/new/",
        {"title": "講座", "host": "社協", "date": "2021-07-29", "time": "13:30", "minutes": 90},
    )
    html = client.get("/supervision/case-meetings/?fy=2021").content.decode()

    assert future.status_code == 422
    assert '<strong class="ratio">1 / 34</strong>' in html
    assert list(CaseMeeting.objects.values_list("held_on", flat=True)) == [dt.date(2021, 7, 1)]
    assert "講座（社協）" in client.get("/supervision/calendar/?date=2021-07-01").content.decode()


def test_outside_center_staff_cannot_use_the_planning_pages(municipal_staff, health_office_staff):
    urls = [
        "/supervision/visits/new/",
        "/supervision/visits/series/",
        "/supervision/plans/new/",
        "/supervision/dispatches/new/",
        "/supervision/liaison-meetings/new/",
    ]

    statuses = [
        client_for(user).get(url).status_code
        for user in [municipal_staff, health_office_staff]
        for url in urls
    ]

    assert statuses == [403] * 10


def test_notes_can_be_added_after_the_visit_from_its_page(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-01"), status="done")

    client_for(center_staff).post(
        f"/supervision/visits/{visit.pk}/details/",
        {"place": "いの町保健センター", "staff": [center_staff.pk], "confidential_notes": NOTES},
    )

    visit.refresh_from_db()
    assert (visit.place, visit.confidential_notes, visit.sequence) == (
        "いの町保健センター",
        NOTES,
        1,
    )
    assert list(visit.staff.all()) == [center_staff]


def test_dashboard_lists_targets_without_a_plan_with_their_count(center_staff):
    plan("いの町", 5)
    VisitFactory(target=target("須崎市"), starts_at=at("2021-06-10"), status="done")
    client = client_for(center_staff)

    everything = client.get(f"{PAGES[0]}&state=all")
    unplanned = client.get(f"{PAGES[0]}&state=unplanned").content.decode()
    planned = client.get(f"{PAGES[0]}&state=on_track").content.decode()
    default = client.get(PAGES[0]).content.decode()

    html = everything.content.decode()
    total = everything.context["rows"].total
    counts = everything.context["rows"].counts
    assert total == counts["at_risk"] + counts["on_track"] + counts["unplanned"]
    assert counts["unplanned"] == total - 1
    assert html.index('data-target="いの町"') < html.index('data-target="須崎市"')
    assert '<strong class="ratio">1 / —</strong>' in html
    assert ['data-target="須崎市"' in unplanned, 'data-target="いの町"' in unplanned] == [
        True,
        False,
    ]
    assert 'data-target="須崎市"' not in planned
    # Today's work first: without a state the targets without a plan wait behind their count.
    assert 'data-target="いの町"' in default and 'data-target="須崎市"' not in default
    assert f"計画のない支援先 {counts['unplanned']} 件を表示" in default
    assert default.index("記録待ちの訪問") < default.index('data-target="いの町"')


def test_dashboard_names_every_progress_bar_and_has_no_inline_style(center_staff):
    plan("いの町", 5)
    plan("須崎市", 2)

    html = client_for(center_staff).get(PAGES[0]).content.decode()

    assert html.count("<progress") == 2
    assert html.count('aria-label="いの町 実施済／予定 0 / 5"') == 1
    assert "style=" not in html


def test_dashboard_shows_one_page_of_rows_at_a_time(center_staff):
    from supervision.dashboard import PAGE_SIZE
    from tests.supervision.test_progress import bench_targets

    bench_targets(2 * PAGE_SIZE + 5)
    client = client_for(center_staff)

    first = client.get(f"{PAGES[0]}&state=all")
    second = client.get(f"{PAGES[0]}&state=all&page=2")

    total = first.context["rows"].total
    assert len(first.context["rows"].page.object_list) == PAGE_SIZE
    assert len(second.context["rows"].page.object_list) == PAGE_SIZE
    assert first.context["rows"].page.paginator.count == total
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(("role", "roster_links"), [("center", 1), ("health_office", 0)])
def test_liaison_meetings_link_to_their_page_and_roster(personas, role, roster_links):
    west = Block.objects.get(name="西部")
    meeting = services.plan_liaison_meeting(
        block_id=west.pk, starts_at=at("2021-06-10", "13:30"), venue="四万十市役所", actor=SYSTEM
    )

    html = client_for(personas[role]).get("/supervision/liaison-meetings/?fy=2021").content.decode()

    assert f'href="/training/staff/events/{meeting.pk}/"' in html
    assert html.count(f'href="/attendance/events/{meeting.pk}/"') == roster_links


def test_calendar_tells_done_planned_overdue_and_cancelled_apart_and_links_every_item(
    center_staff,
):
    VisitFactory(target=target("いの町"), starts_at=at("2021-05-10"), status="done")
    VisitFactory(target=target("須崎市"), starts_at=at("2021-05-11"))  # past, still open: to record
    VisitFactory(target=target("中土佐町"), starts_at=at("2021-05-12"), status="cancelled")
    future = VisitFactory(
        target=target("四万十町"), starts_at=at(f"{dt.date.today().year + 1}-05-13")
    )
    dispatch = services.record_lecturer_dispatch(
        title="ひきこもり理解講座",
        host="土佐市社会福祉協議会",
        starts_at=at("2021-05-14"),
        actor=SYSTEM,
    )
    client = client_for(center_staff)

    may = client.get("/supervision/calendar/?date=2021-05-01")
    later = client.get(f"/supervision/calendar/?date={future.date.isoformat()}")

    states = {item.title: item.state for day in may.context["days"] for item in day.items}
    items = [item for day in may.context["days"] for item in day.items]
    html = may.content.decode()
    assert states == {
        "いの町 スーパーバイズ": "done",
        "須崎市 スーパーバイズ": "overdue",
        "中土佐町 スーパーバイズ": "cancelled",
        "ひきこもり理解講座（土佐市社会福祉協議会）": "done",
    }
    assert all(item.url for item in items)
    assert f'href="/supervision/dispatches/{dispatch.pk}/"' in html
    assert client.get(f"/supervision/dispatches/{dispatch.pk}/").status_code == 200
    assert [i.state for d in later.context["days"] for i in d.items if i.kind == "visit"] == [
        "planned"
    ]
    assert 'class="legend"' in html


def test_calendar_colors_saturday_apart_from_sunday_and_holidays(center_staff):
    html = client_for(center_staff).get("/supervision/calendar/?date=2021-05-01").content.decode()

    def classes(day):
        return html.split(f'data-date="{day}"')[0].rsplit('class="', 1)[1]

    assert "saturday" in classes("2021-05-01")
    assert "sunday" in classes("2021-05-02")
    assert "sunday" in classes("2021-05-03")  # 憲法記念日
    assert "saturday" not in classes("2021-05-03")
    assert "sunday" not in classes("2021-05-06")


def test_the_visit_form_groups_its_targets_by_block_district_and_kind(center_staff):
    page = client_for(center_staff).get("/supervision/visits/new/").content.decode()

    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups[:3] == [
        "西部ブロック（市町村）",
        "中央ブロック（市町村）",
        "東部ブロック（市町村）",
    ]
    assert groups[3:] == ["福祉保健所管内", "関係機関"]
    # いの町 is under its block.
    central = page.split('<optgroup label="中央ブロック（市町村）">')[1].split("</optgroup>")[0]
    assert "いの町" in central
