"""A health office's day (幡多), on a phone and at a desk: the home page lists every
municipality of the district with its done / planned, the next visits and the block's liaison
meeting; one tap issues one calendar link for the whole district, which a calendar app then
reads. axe-core finds no violation of any impact on the way."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.fiscal import TOKYO, fiscal_year_of, today
from directory.models import Municipality
from supervision.models import Plan, Visit
from tests.axe import describe, run_axe
from tests.conftest import log_in
from tests.supervision.conftest import target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_from_today(days: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(hour), TOKYO)


def arrange_hata() -> None:
    year = fiscal_year_of(today())
    Plan.objects.create(target=target("四万十市"), fiscal_year=year, planned=3)
    Plan.objects.create(target=target("幡多福祉保健所管内"), fiscal_year=year, planned=2)
    VisitFactory(target=target("四万十市"), starts_at=days_from_today(-1), status=Visit.Status.DONE)
    VisitFactory(
        target=target("四万十市"), starts_at=days_from_today(9), kind=Visit.Kind.CASE_MEETING
    )
    VisitFactory(target=target("いの町"), starts_at=days_from_today(3))
    EventFactory(
        title="西部ブロック連絡会",
        kind=Event.Kind.LIAISON_MEETING,
        block=Municipality.objects.get(name="四万十市").block,
        starts_at=days_from_today(12, 14),
        ends_at=days_from_today(12, 16),
    )


def no_violations(page) -> list[str]:
    violations = run_axe(page)
    return [describe(violations)] if violations else []


@pytest.mark.parametrize("viewport", ["phone_page", "desktop_page"])
def test_health_office_sees_its_district_and_subscribes_to_it_in_one_tap(
    live_server, request, health_office_staff, viewport
):
    arrange_hata()
    page = request.getfixturevalue(viewport)
    log_in(page, live_server, "hata")
    page.goto(f"{live_server.url}/")
    violations = no_violations(page)

    progress = page.locator("#progress")
    heading = progress.locator("h2").inner_text()
    rows = progress.locator("li").all_inner_texts()
    next_visits = page.locator("#next-visits").inner_text()
    liaison = page.locator("#liaison").inner_text()
    calendar_buttons = page.locator("#calendar").get_by_role("button")
    button_count = calendar_buttons.count()
    municipality_selects = page.locator("#calendar select").count()
    body = page.locator("main").inner_text()
    fits = page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # To a municipality's progress.
    progress.get_by_role("link", name="四万十市").click()
    page.wait_for_load_state()
    target_heading = page.locator("h1").inner_text()

    # Back home: one tap issues the district's link; copy it.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        calendar_buttons.click()
    violations += no_violations(page)
    issued = page.locator("#issued")
    issued_heading = issued.locator("h2").inner_text()
    feed_url = issued.locator("input").first.input_value()
    issued.get_by_role("button", name="コピー").first.click()
    expect(page.locator("#issued-url-status")).to_have_text("コピーしました。")
    feed = page.request.get(feed_url.replace("http://127.0.0.1:8000", live_server.url))

    assert violations == []
    assert heading == "幡多福祉保健所管内の今年度の訪問"
    names = list(Municipality.objects.filter(district__name="幡多").values_list("name", flat=True))
    assert [row.split("\n")[0].split(" ")[0] for row in rows[: len(names)]] == names
    assert len(names) == 6
    assert any(row.startswith("四万十市") and "1 / 3 回実施" in row for row in rows)
    assert any(row.startswith("宿毛市") and "今年度の計画なし" in row for row in rows)
    assert any("幡多福祉保健所管内" in row and "0 / 2 回実施" in row for row in rows)
    assert "四万十市" in next_visits and "ケース会議" in next_visits and "令和" in next_visits
    assert "西部ブロック連絡会" in liaison and "令和" in liaison
    assert "いの町" not in body  # another district's visit
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)
    assert button_count == 1 and municipality_selects == 0
    assert fits
    assert "四万十市" in target_heading
    assert "幡多福祉保健所" in issued_heading
    assert feed.status == 200
    unfolded = re.sub(r"\r\n[ \t]", "", feed.text())
    assert "四万十市：ケース会議" in unfolded and "西部ブロック連絡会" in unfolded
    assert "いの町" not in unfolded
