"""Forms that always guide, in the browser (issue #21): an empty submit of every staff form
reaches the server (no browser bubble in the browser's own words), comes back with the error
summary, and the summary holds the focus and links to fields that are on the page, on a phone.
The page checks of every page load (tests/targets.py: tap targets, cards, ISO dates) and
axe-core run too."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.factories import UserFactory
from tests.training.factories import EventFactory
from training.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMS = [
    "/supervision/visits/new/",
    "/supervision/visits/series/",
    "/supervision/plans/new/",
    "/supervision/dispatches/new/",
    "/supervision/liaison-meetings/new/",
    "/training/staff/courses/new/",
    "/training/staff/lecturers/new/",
    "/training/staff/events/new/",
    "/training/staff/events/{event}/registrations/new/",
    "/training/staff/events/{event}/parts/new/",
    "/account/tokens/",
    "/attendance/events/{held}/walk-in/",
    "/attendance/events/{held}/import/",
]


def test_an_empty_submit_of_every_staff_form_is_guided_by_the_summary(live_server, phone_page):
    UserFactory(username="center", role="center")
    event = EventFactory()
    now = timezone.now()
    held = EventFactory(
        kind=Event.Kind.ONLINE_LECTURE,
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now - dt.timedelta(hours=1),
        registration_opens_at=now - dt.timedelta(days=20),
    )
    page = phone_page
    log_in(page, live_server, "center")

    for path in FORMS:
        page.goto(live_server.url + path.format(event=event.pk, held=held.pk))
        form = page.locator("main form[method=post]").filter(has=page.locator("input, select"))
        form.last.locator("button[type=submit]").last.click()
        page.wait_for_load_state()

        summary = page.locator(".error-summary")
        assert summary.is_visible(), f"{path}: no error summary after an empty submit"
        assert page.evaluate("document.activeElement.classList.contains('error-summary')"), path
        anchors = summary.locator("a[href^='#']").evaluate_all(
            "links => links.map(link => link.getAttribute('href').slice(1))"
        )
        assert anchors, f"{path}: the summary links to no field"
        for anchor in anchors:
            assert page.locator(f"[id='{anchor}']").count() == 1, (path, anchor)
        assert "このフィールドは必須です。" not in page.locator("main").inner_text(), path
        assert_no_serious_violations(page)
