"""The center's dashboard on a phone with the demo data (issue #21): under four screens at
390×844 whatever day the demo is loaded and looked at (a fixed clock: the first day of a fiscal
year, a day in December, the last day), its targets at their size, no ISO date in what it shows
(tests/targets.py checks every page load) and axe-core at 0 violations."""

import datetime as dt

import pytest

from core.fiscal import TOKYO
from directory import demo as directory_demo
from supervision import demo
from supervision.views import overview
from tests.axe import assert_no_serious_violations
from tests.conftest import PHONE, checked_context, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page shows the height of, for the message when it is too long.
PARTS = """() => [...document.querySelectorAll('main > *')].map(
  (el) => `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}`
    + ` ${Math.round(el.getBoundingClientRect().height)}`).join(', ')"""


class FixedClock:
    """django.utils.timezone with ``now`` at a fixed moment (the rest is Django's)."""

    def __init__(self, moment: dt.datetime):
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment

    def __getattr__(self, name):
        from django.utils import timezone

        return getattr(timezone, name)


@pytest.fixture
def fixed_day(monkeypatch, request):
    """The demo's and the dashboard's today: the day the test is parametrized with, 10:00 in
    Tokyo (the live server runs in this process, so the view reads the same clock)."""
    day = dt.date.fromisoformat(request.param)
    moment = dt.datetime.combine(day, dt.time(10), TOKYO)
    monkeypatch.setattr(demo, "today", lambda: day)
    monkeypatch.setattr(overview, "today", lambda: day)
    monkeypatch.setattr(overview, "timezone", FixedClock(moment))
    return day


@pytest.mark.parametrize(
    "fixed_day", ["2026-03-31", "2026-04-01", "2026-12-08"], indirect=True, ids=str
)
def test_the_demo_dashboard_is_under_four_screens_on_a_phone(live_server, browser, fixed_day):
    directory_demo.load()
    demo.load()
    with checked_context(browser, PHONE) as context:
        page = context.new_page()
        log_in(page, live_server, "center", directory_demo.DEMO_PASSWORD)

        page.goto(f"{live_server.url}/supervision/")
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.evaluate("document.documentElement.scrollWidth")
        heading = page.locator("h1").inner_text()
        parts = page.evaluate(PARTS)
        assert_no_serious_violations(page, context="/supervision/ with the demo data on a phone")

    assert "令和" in heading
    assert height < 4 * PHONE["height"], f"{height} px: {parts}"
    assert width <= PHONE["width"]
