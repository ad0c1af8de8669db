"""Center staff's day on a desktop: plan a visit from the dashboard, record it as done with its
public summary, undo that with a reason. Every page on the way passes axe-core (no serious or
critical WCAG 2.1 A/AA violation)."""

import datetime as dt

import pytest

from core import audit
from core.fiscal import fiscal_year_of, today
from core.usecases import SYSTEM
from directory.models import Municipality
from supervision import services
from supervision.models import Visit
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_center_staff_plans_completes_and_undoes_a_visit(live_server, desktop_page, center_staff):
    page = desktop_page
    UserFactory(username="kochi", last_name="高知", first_name="次郎", role="center")
    ino = services.target_for(municipality=Municipality.objects.get(name="いの町"))
    yesterday = today() - dt.timedelta(days=1)
    fiscal_year = fiscal_year_of(yesterday)
    services.set_plan(target_id=ino.pk, fiscal_year=fiscal_year, planned=2, actor=SYSTEM)
    log_in(page, live_server, "center")

    # The dashboard: every target, at risk first, the legend, named progress bars.
    page.goto(f"{live_server.url}/supervision/?fiscal_year={fiscal_year}")
    assert page.locator('tr[data-target="いの町"] .ratio').inner_text() == "0 / 2"
    assert page.locator("tr.state-unplanned").count() == 0  # behind their count
    assert page.locator(".unplanned-more a").count() == 1
    page.locator(".legend summary").click()
    assert_no_serious_violations(page, context="dashboard")

    # Plan a visit: the staff checkboxes sit beside their names.
    page.goto(f"{live_server.url}/supervision/visits/new/?target={ino.pk}")
    page.select_option("#id_kind", "case_meeting")
    page.fill("#id_date", yesterday.isoformat())
    page.fill("#id_time", "10:00")
    box = page.get_by_label("高知 次郎").bounding_box()
    name = page.locator("label.check", has_text="高知 次郎").locator("span").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (name["y"] + name["height"] / 2)) < 8
    assert 0 < name["x"] - (box["x"] + box["width"]) < 24
    page.get_by_label("高知 次郎").check()
    assert_no_serious_violations(page, context="schedule a visit")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    visit = Visit.objects.get(target=ino)
    assert sorted(u.username for u in visit.staff.all()) == ["center", "kochi"]

    # The visit page: four buttons, no wall of forms.
    summaries = page.locator("details.visit-action > summary")
    assert summaries.all_inner_texts() == ["実施済にする", "延期する", "訪問を中止する", "編集"]
    assert page.locator("details.visit-action[open]").count() == 0
    assert page.locator("#id_public_summary").first.is_visible() is False
    assert_no_serious_violations(page, context="visit page")

    # 実施済にする asks for the public summary, then records.
    page.get_by_text("実施済にする", exact=True).click()
    page.locator("#complete textarea[name=public_summary]").fill("ケース会議に参加し助言した。")
    assert_no_serious_violations(page, context="complete form")
    with page.expect_navigation():
        page.get_by_role("button", name="実施済として記録する").click()
    assert "訪問を実施済にしました" in page.locator(".messages").inner_text()
    visit.refresh_from_db()
    assert (visit.status, visit.public_summary) == ("done", "ケース会議に参加し助言した。")

    # ... and can be undone, with a reason kept in the history.
    page.get_by_text("実施済を取り消す", exact=True).first.click()
    page.get_by_label("実施済を取り消す理由").fill("別の日の記録と取り違えた")
    assert_no_serious_violations(page, context="reopen form")
    with page.expect_navigation():
        page.get_by_role("button", name="実施済を取り消す").last.click()
    visit.refresh_from_db()
    assert visit.status == "scheduled"
    assert "別の日の記録と取り違えた" in page.locator(".reopenings").inner_text()
    [entry] = audit.history(visit).filter(action="supervision.visit.reopened")
    assert (entry.actor_id, entry.data["reason"]) == (center_staff.pk, "別の日の記録と取り違えた")
    assert_no_serious_violations(page, context="visit page after undo")

    # Back on the dashboard the visit is to record again.
    page.goto(f"{live_server.url}/supervision/?fiscal_year={fiscal_year}")
    assert page.locator('tr[data-target="いの町"] .ratio').inner_text() == "0 / 2"
    assert page.locator(f'li[data-visit="{visit.pk}"]').count() == 1


def test_planning_calendar_and_liaison_meetings_pass_axe(live_server, desktop_page, phone_page):
    UserFactory(username="center", role="center")
    for page in (desktop_page, phone_page):
        log_in(page, live_server, "center")
        page.goto(f"{live_server.url}/supervision/calendar/?date=2021-11-01")
        assert page.locator('.day[data-date="2021-11-06"]').get_attribute("class").count("saturday")
        assert_no_serious_violations(page, context="planning calendar")
        page.goto(f"{live_server.url}/supervision/liaison-meetings/?fy=2021")
        assert_no_serious_violations(page, context="liaison meetings")


def test_supervision_and_attendance_pages_pass_axe_on_desktop_and_phone(
    live_server, desktop_page, phone_page, center_staff
):
    from tests.attendance.factories import LectureFactory, TraineeFactory
    from tests.supervision.conftest import at, target
    from tests.supervision.factories import VisitFactory

    services.set_plan(target_id=target("いの町").pk, fiscal_year=2021, planned=5, actor=SYSTEM)
    done = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")
    open_visit = VisitFactory(target=target("須崎市"), starts_at=at("2021-06-11"))
    VisitFactory(target=target("中土佐町"), starts_at=at("2021-11-02"), status="cancelled")
    VisitFactory(target=target("四万十町"), starts_at=at("2021-11-04"))  # to record
    dispatch = services.record_lecturer_dispatch(
        title="ひきこもり理解講座",
        host="土佐市社会福祉協議会",
        starts_at=at("2021-11-06"),
        actor=SYSTEM,
    )
    lecture = LectureFactory()
    TraineeFactory(event=lecture)
    pages = [
        "/supervision/?fiscal_year=2021&as_of=2021-09-30",
        "/supervision/?fiscal_year=2021&as_of=2021-09-30&state=unplanned",
        f"/supervision/targets/{done.target_id}/?fy=2021",
        f"/supervision/visits/{done.pk}/?action=reopen",
        f"/supervision/visits/{open_visit.pk}/?action=complete",
        f"/supervision/dispatches/{dispatch.pk}/",
        f"/supervision/dispatches/{dispatch.pk}/?action=edit",
        f"/supervision/dispatches/{dispatch.pk}/?action=cancel",
        "/supervision/calendar/?view=week&date=2021-11-04",
        "/attendance/?fy=2021",
        f"/attendance/events/{lecture.pk}/",
        f"/attendance/events/{lecture.pk}/check-in/",
    ]
    for page in (desktop_page, phone_page):
        log_in(page, live_server, "center")
        for url in pages:
            page.goto(live_server.url + url)
            assert_no_serious_violations(page, context=f"{url} at {page.viewport_size}")
        page.goto(f"{live_server.url}/supervision/calendar/?date=2021-11-01")
        colors = [
            page.locator(f'.day[data-date="{day}"] .day-head').evaluate(
                "element => getComputedStyle(element).color"
            )
            for day in ("2021-11-06", "2021-11-07", "2021-11-03", "2021-11-05")
        ]
        saturday, sunday, holiday, friday = colors
        assert len({saturday, sunday, friday}) == 3
        assert holiday == sunday
