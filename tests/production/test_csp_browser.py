"""In Chromium, the pages run under the Content-Security-Policy without a single violation:
the shared behaviour (static/js/app.js) works, and the API docs load."""

import pytest

from tests.conftest import log_in
from tests.training.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_pages_run_under_the_policy_without_violations(live_server, desktop_page, center_staff):
    page = desktop_page
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    registration = RegistrationFactory(event=EventFactory(title="方針の確認"))
    center_staff.set_password("pw")
    center_staff.save()

    log_in(page, live_server, "center")
    for path in ["/", "/training/", "/supervision/", "/calendar/links/", "/api/docs"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/training/r/{registration.management_token}/")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#cancel")

    registration.refresh_from_db()
    assert violations == []
    assert asked and registration.status == "confirmed"  # asked first; "cancel" kept it
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui", timeout=30000)
