"""Municipal staff's day on a phone (いの町): the home page shows their own done / planned bar,
next visits and their block's next liaison meeting; one tap issues their calendar link, which
they copy and their calendar app then reads. axe-core checks every page on the way."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.fiscal import TOKYO, fiscal_year_of, today
from directory.models import Municipality
from supervision.models import Plan, Visit
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.supervision.conftest import target
from tests.supervision.factories import VisitFactory
from tests.targets import iso_dates_shown, small_targets, touching_cards
from tests.training.factories import EventFactory
from training.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_from_today(days: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(hour), TOKYO)


def arrange_ino() -> None:
    ino = target("いの町")
    year = fiscal_year_of(today())
    Plan.objects.update_or_create(target=ino, fiscal_year=year, defaults={"planned": 5})
    start = dt.datetime(year, 4, 1, 10, tzinfo=TOKYO)
    for day in (20, 60):
        visit_at = start + dt.timedelta(days=day)
        if visit_at.date() < today():
            VisitFactory(target=ino, starts_at=visit_at, status=Visit.Status.DONE)
    VisitFactory(target=ino, starts_at=days_from_today(9), kind=Visit.Kind.CASE_MEETING)
    EventFactory(
        title="中央西ブロック連絡会",
        kind=Event.Kind.LIAISON_MEETING,
        block=Municipality.objects.get(name="いの町").block,
        starts_at=days_from_today(12, 14),
    )


def phone_problems(page) -> list[str]:
    """Targets under their size, touching cards and ISO dates on the page (tests/targets.py)."""
    where = page.url.split("/", 3)[-1]
    return [
        f"/{where}: {problem}"
        for problem in small_targets(page)
        + [f"cards touch: {pair}" for pair in touching_cards(page)]
        + [f"ISO date {date}" for date in iso_dates_shown(page)]
    ]


def test_municipal_staff_see_their_progress_and_subscribe_in_one_tap(
    live_server, phone_page, municipal_staff
):
    arrange_ino()
    page = phone_page
    log_in(page, live_server, "ino")
    page.goto(f"{live_server.url}/")
    assert_no_serious_violations(page)
    problems = phone_problems(page)

    # The phone menu: one button opens the navigation; no staff-only entries for them.
    menu_button = page.locator(".menu-button")
    nav_hidden_at_first = not page.locator(".main-nav").is_visible()
    menu_button.click()
    nav_entries = page.locator(".main-nav a").all_inner_texts()
    assert_no_serious_violations(page, context="home with the menu open")
    menu_button.click()

    bar = page.locator("#progress progress").first
    bar_name = bar.get_attribute("aria-label")
    progress_text = page.locator("#progress").inner_text()
    next_visits = page.locator("#next-visits").inner_text()
    liaison = page.locator("#liaison").inner_text()

    # To their progress: the target's page.
    page.locator("#progress").get_by_role("link", name="いの町").click()
    page.wait_for_load_state()
    target_heading = page.locator("h1").inner_text()
    assert_no_serious_violations(page)
    problems += phone_problems(page)

    # Back home: one tap issues the link; copy it.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.locator("#calendar").get_by_role("button").click()
    assert_no_serious_violations(page)
    problems += phone_problems(page)
    issued = page.locator("#issued")
    feed_url = issued.locator("input").input_value()
    issued.get_by_role("button", name="コピー").click()
    expect(page.locator("#issued-url-status")).to_have_text("コピーしました。")
    form_fields = page.locator("main form.form select, main form.form input[type=radio]").count()
    municipality_choice = page.locator("main form.form #id_municipality").input_value()
    fits = page.evaluate("document.documentElement.scrollWidth") <= 390

    feed = page.request.get(feed_url.replace("http://127.0.0.1:8000", live_server.url))

    assert not problems, "\n".join(problems)
    assert nav_hidden_at_first
    assert "APIトークン" not in nav_entries and "研修・行事" not in nav_entries
    assert len(nav_entries) <= 7
    assert bar_name.startswith("いの町")
    assert "/ 5" in progress_text
    assert "ケース会議" in next_visits
    assert "中央西ブロック連絡会" in liaison and "令和" in liaison
    assert "いの町" in target_heading
    assert feed_url.startswith("http://127.0.0.1:8000/calendar/s/")
    # いの町 is their only choice: chosen already, and no empty block or staff select.
    assert form_fields == 1
    assert municipality_choice == str(Municipality.objects.get(name="いの町").pk)
    assert fits
    assert feed.status == 200
    assert "BEGIN:VCALENDAR" in feed.text()
