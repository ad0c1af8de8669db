"""The center's dashboard on a phone with the demo data (issue #21): under four screens at
390×844, its targets at their size and no ISO date in what it shows."""

import pytest

from directory import demo as directory_demo
from supervision import demo
from tests.axe import assert_no_serious_violations
from tests.conftest import PHONE, log_in
from tests.targets import iso_dates_shown, small_targets, touching_cards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_dashboard_is_under_four_screens_on_a_phone(live_server, browser):
    directory_demo.load()
    demo.load()
    context = browser.new_context(viewport=PHONE, locale="ja-JP", has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "center", directory_demo.DEMO_PASSWORD)

    page.goto(f"{live_server.url}/supervision/")
    height = page.evaluate("document.documentElement.scrollHeight")
    heading = page.locator("h1").inner_text()
    small, dates, touching = small_targets(page), iso_dates_shown(page), touching_cards(page)
    assert_no_serious_violations(page, context="/supervision/ with the demo data on a phone")
    context.close()

    assert heading
    assert height < 4 * PHONE["height"], f"{height} px"
    assert small == []
    assert dates == []
    assert touching == []
