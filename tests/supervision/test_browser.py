import datetime as dt

import pytest

from core.fiscal import TOKYO, fiscal_year_of, today
from core.usecases import SYSTEM
from directory.models import Municipality
from supervision import services
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_completes_a_visit_from_the_dashboard_on_a_phone(
    live_server, phone_page, center_staff
):
    ino = services.target_for(municipality=Municipality.objects.get(name="いの町"))
    yesterday = dt.datetime.combine(today() - dt.timedelta(days=1), dt.time(10), TOKYO)
    services.set_plan(
        target_id=ino.pk, fiscal_year=fiscal_year_of(yesterday), planned=2, actor=SYSTEM
    )
    visit = services.schedule_visit(
        target_id=ino.pk,
        kind="case_meeting",
        starts_at=yesterday,
        staff_ids=[center_staff.pk],
        actor=SYSTEM,
    )
    log_in(phone_page, live_server, "center")

    phone_page.goto(f"{live_server.url}/supervision/?fiscal_year={fiscal_year_of(yesterday)}")
    before = phone_page.locator('tr[data-target="いの町"] .ratio').inner_text()
    with phone_page.expect_navigation():
        phone_page.locator(f'li[data-visit="{visit.pk}"] a.button').click()
    phone_page.locator("#complete textarea[name=public_summary]").fill("助言した。")
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="実施済として記録する").click()

    assert before == "0 / 2"
    assert phone_page.locator('tr[data-target="いの町"] .ratio').inner_text() == "1 / 2"
    assert phone_page.locator(".messages li").inner_text() == "いの町：訪問を実施済にしました。"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.refresh_from_db()
    assert visit.status == "done"


def test_planning_calendar_fits_a_phone(live_server, phone_page, center_staff):
    log_in(phone_page, live_server, "center")

    phone_page.goto(f"{live_server.url}/supervision/calendar/?date=2021-11-01")

    assert (
        phone_page.locator('.day[data-date="2021-11-03"] .holiday-name').inner_text() == "文化の日"
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_target_select_is_searchable_on_a_phone(live_server, phone_page, center_staff):
    log_in(phone_page, live_server, "center")
    phone_page.goto(f"{live_server.url}/supervision/visits/new/")

    phone_page.get_by_label("訪問先を絞り込む").fill("須崎")
    shown = phone_page.locator("#id_target option:not([hidden])").all_inner_texts()
    phone_page.get_by_label("訪問先を絞り込む").fill("")
    everything = phone_page.locator("#id_target option:not([hidden])").count()

    assert [name for name in shown if name.strip("-")] == ["須崎市", "須崎福祉保健所管内"]
    assert everything > 30
    assert_no_serious_violations(phone_page)
