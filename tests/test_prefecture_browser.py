"""The center's pages and the prefecture map in a browser: axe finds no serious violation and
nothing overflows a phone."""

import pytest

from tests.axe import assert_no_serious_violations
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path",
    [
        "/supervision/case-meetings/?fy=2021",
        "/supervision/case-meetings/?fy=2021&map=progress",
        "/account/center/",
        "/account/areas/",
    ],
)
def test_the_centers_pages_pass_axe_and_fit_a_phone(live_server, phone_page, center_staff, path):
    log_in(phone_page, live_server, "center")

    phone_page.goto(live_server.url + path)

    assert_no_serious_violations(phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_dot_on_the_map_leads_to_its_target(live_server, desktop_page, center_staff):
    log_in(desktop_page, live_server, "center")
    desktop_page.goto(live_server.url + "/supervision/case-meetings/?fy=2021")

    with desktop_page.expect_navigation():
        desktop_page.locator("svg.map a", has_text="いの町").locator("circle").click()

    assert "いの町" in desktop_page.locator("h1").inner_text()
