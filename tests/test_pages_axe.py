"""Every page of the home, training and calendar parts passes axe-core (WCAG 2.1 A/AA, no
serious or critical violation) at desktop and phone size, for the persona who uses it; the
navigation keeps to seven entries on one line at 1366 px and behind a menu button on phones.
On the phone every tap target has its size (tests/targets.py: 44 px for primary actions, 24 px
for the others), cards keep space between them and no page shows an ISO date (和暦 for people,
issue #21)."""

import pytest

from tests.axe import assert_no_serious_violations
from tests.conftest import (
    PHONE,
    checked_context,
    close_checked_context,
    log_in,
    open_checked_context,
)
from tests.training.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def pages_of(persona: str, event, registration) -> list[str]:
    public = [
        "/",
        "/training/",
        f"/training/events/{event.pk}/",
        f"/training/r/{registration.management_token}/",
        "/calendar/",
    ]
    return {
        None: public,
        "ino": ["/", "/calendar/links/", "/training/", "/supervision/"],
        "hata": ["/", "/calendar/links/", "/supervision/"],
        "center": [
            "/",
            "/calendar/links/",
            "/account/tokens/",
            "/privacy/",
            "/supervision/",
            "/supervision/calendar/",
            "/training/",
            f"/training/events/{event.pk}/",
            f"/attendance/events/{event.pk}/",
            f"/attendance/events/{event.pk}/check-in/",
            "/reports/",
        ],
    }[persona]


@pytest.mark.parametrize("persona", [None, "ino", "hata", "center"])
def test_pages_pass_axe_at_desktop_and_phone_size(live_server, browser, personas, persona):
    event = EventFactory(title="ひきこもり支援の基礎")
    registration = RegistrationFactory(event=event, name="高知 花子")
    for viewport in (DESKTOP, PHONE):
        # Every page load is checked (tests/targets.py): targets, cards and ISO dates.
        with checked_context(browser, viewport) as context:
            page = context.new_page()
            if persona:
                log_in(page, live_server, persona)
            for path in pages_of(persona, event, registration):
                page.goto(live_server.url + path)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                assert_no_serious_violations(page, context=f"{path} at {viewport['width']} px")


def test_the_center_navigation_fits_one_line_at_1366(live_server, browser, center_staff):
    context = open_checked_context(browser, DESKTOP)
    page = context.new_page()
    log_in(page, live_server, "center")

    links = page.locator(".main-nav a")
    entries = links.count()
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    skip = page.locator(".skip-link")
    page.keyboard.press("Tab")
    skip_focused = page.evaluate("document.activeElement.className") == "skip-link"
    skip_box = skip.bounding_box()
    page.keyboard.press("Enter")
    main_focused = page.evaluate("document.activeElement.id") == "main"
    close_checked_context(context)

    assert entries == 7
    assert len(tops) == 1
    assert skip_focused and skip_box["y"] >= 0
    assert main_focused
