import pytest

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_on_a_phone_and_sees_the_japanese_home(live_server, phone_page, center_staff):
    log_in(phone_page, live_server, "center")

    assert phone_page.locator("h1").inner_text().startswith("ひきこもり支援者人材養成")
    assert phone_page.locator(".account .who").inner_text() == "支援 花子"
    # Nothing overflows the phone's width.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_language_switch_to_english_and_back(live_server, phone_page, db):
    phone_page.goto(live_server.url + "/")

    phone_page.click("button[value=en]")
    english = phone_page.locator("h1").inner_text()
    phone_page.click("button[value=ja]")
    japanese = phone_page.locator("h1").inner_text()

    assert english.startswith("Hikikomori support program")
    assert japanese.startswith("ひきこもり支援者人材養成")
