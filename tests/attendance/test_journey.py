"""Venue staff on the day, on a phone (390×844): today's event first on the attendance list,
its 受付 button, one button that adds the five confirmed people to the roster, five taps, the
sign-in sheet printed. Every page on the way passes axe-core."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from attendance import documents
from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, TraineeFactory
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    ("山田 太郎", "やまだ たろう"),
    ("佐藤 花子", "さとう はなこ"),
    ("鈴木 一郎", "すずき いちろう"),
    ("高橋 美咲", "たかはし みさき"),
    ("田中 健", "たなか けん"),
]


def tap_size(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["width"], box["height"]


def test_venue_staff_checks_in_five_people_on_a_phone_and_prints_the_sheet(
    live_server, phone_page, center_staff
):
    page = phone_page
    now = timezone.now().astimezone(TOKYO)
    LectureFactory(title="先週の研修", label="", starts_at=now - dt.timedelta(days=7))
    lecture = LectureFactory(
        title="ひきこもりケースのアセスメント", label="", starts_at=now.replace(hour=0, minute=5)
    )
    for name, kana in PEOPLE:
        TraineeFactory(event=lecture, name=name, kana=kana)
    log_in(page, live_server, "center")

    # The attendance list: today's event first, with a large 受付 button.
    page.goto(f"{live_server.url}/attendance/")
    first = page.locator(".today-event").first
    assert "ひきこもりケースのアセスメント" in first.inner_text()
    button = first.get_by_role("link", name="受付")
    assert min(tap_size(button)) >= 44
    for link in page.locator("td.event-links a").all():
        assert min(tap_size(link)) >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page, context="attendance list (phone)")

    # Opening check-in offers one button that says how many it will add.
    button.click()
    page.wait_for_load_state()
    assert page.locator(".check-in-tally").count() == 0
    assert page.locator(".empty-state").count() == 1
    assert_no_serious_violations(page, context="check-in before the roster (phone)")
    page.get_by_role("button", name="5名を名簿に追加する").click()
    page.wait_for_load_state()
    assert page.locator(".check-in-tally").inner_text().startswith("0 / 5")

    # Five taps, no reload.
    page.evaluate("window.__sameDocument = true")
    for _name, kana in PEOPLE:
        page.locator("#q").fill(kana.replace(" ", ""))
        row = page.locator("li.check-in-row:visible")
        assert row.count() == 1
        assert min(tap_size(row.get_by_role("button", name="出席"))) >= 44
        row.get_by_role("button", name="出席").click()
        row.get_by_role("button", name="取消").wait_for()
    page.locator("#pending").wait_for(state="hidden")
    page.locator("#q").fill("")
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("#attended-count").inner_text() == "5"
    assert RosterEntry.objects.filter(event=lecture, status="present").count() == 5
    assert_no_serious_violations(page, context="check-in (phone)")

    # The roster and its sign-in sheet.
    page.goto(f"{live_server.url}/attendance/events/{lecture.id}/")
    assert_no_serious_violations(page, context="roster (phone)")
    for link in page.locator("nav.tabs a").all():
        assert min(tap_size(link)) >= 44
    href = page.get_by_role("link", name="出席簿（PDF）").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    if documents.FONT_PATH.is_file():
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
        assert [line for line in text.splitlines() if line in dict(PEOPLE)] == [
            "佐藤 花子",
            "鈴木 一郎",
            "高橋 美咲",
            "田中 健",
            "山田 太郎",
        ]
        assert "職種" in text  # the registrants gave their job titles
