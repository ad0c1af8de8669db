"""The subscribe and link pages on a 390px phone."""

import pytest
from django.conf import settings

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_page_fits_a_phone(live_server, phone_page):
    phone_page.goto(f"{live_server.url}/calendar/")

    button = phone_page.locator(".feed-links a.button")
    assert button.get_attribute("href").startswith("webcal://")
    assert phone_page.locator(".feed-url input").input_value().endswith("/calendar/trainings.ics")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_municipal_staff_issue_their_link_on_a_phone(live_server, phone_page, municipal_staff):
    log_in(phone_page, live_server, "ino")

    phone_page.goto(f"{live_server.url}/calendar/links/")
    phone_page.fill("#id_label", "ほけん福祉課 共有")
    phone_page.select_option("#id_municipality", label="いの町")
    with phone_page.expect_navigation():
        phone_page.click("main form.form button[type=submit]")

    assert (
        phone_page.locator("#issued .feed-url input")
        .input_value()
        .startswith(f"{settings.SITE_URL}/calendar/s/")
    )
    assert phone_page.locator("table.list td").first.inner_text() == "市町村: いの町"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
