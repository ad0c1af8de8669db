"""The person-request page in Chromium at a phone's size: center staff find a trainee's records
by address, download the CSV, erase them after the confirmation, and see the error summary for
an empty request; axe-core finds no serious violation on any of these states."""

import pytest

from core.erased import ERASED
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.factories import UserFactory
from tests.training.factories import RegistrationFactory
from training.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_center_staff_find_download_and_erase_a_persons_records(live_server, phone_page):
    UserFactory(username="center", role="center")
    registration = RegistrationFactory(name="高知 花子", email="hanako@example.jp")
    RegistrationFactory(event=registration.event, name="須崎 次郎", email="jiro@example.jp")
    page = phone_page
    log_in(page, live_server, "center")

    page.goto(f"{live_server.url}/privacy/")
    assert page.locator("h1").inner_text() == "個人データの開示・削除"
    page.click("button[value=search]")
    assert page.locator(".error-summary").is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert_no_serious_violations(page)

    page.fill("#id_email", "HANAKO@example.jp")
    page.click("button[value=search]")
    assert page.locator("#found-title").inner_text() == "1件見つかりました"
    assert page.locator("main table").first.inner_text().count("高知 花子") == 1
    assert "須崎" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert_no_serious_violations(page)

    with page.expect_download() as download:
        page.click("button[value=csv]")
    assert download.value.suggested_filename == "personal-data.csv"

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[value=erase]")
    page.wait_for_load_state()

    assert "1件の記録を削除しました" in page.locator("main").inner_text()
    assert "本人からの求め" in page.locator("main").inner_text()
    assert Registration.objects.get(pk=registration.pk).name == ERASED
    assert Registration.objects.get(email="jiro@example.jp").name == "須崎 次郎"
    assert_no_serious_violations(page)
