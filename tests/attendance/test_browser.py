"""A staff member at the door with a phone: checks in 20 people, prints the sign-in sheet,
imports the Zoom report of the online lecture and exports the roster."""

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from attendance import documents
from attendance.demo import FAMILY, GIVEN
from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, TraineeFactory
from tests.conftest import log_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def staff(db):
    return UserFactory(username="center", last_name="支援", first_name="花子", role="center")


def test_staff_checks_in_20_people_on_a_phone_and_prints_exports_imports(
    live_server, phone_page, staff
):
    page = phone_page
    lecture = LectureFactory(starts_at=dt.datetime(2021, 7, 8, 13, 30, tzinfo=TOKYO))
    pairs = [(FAMILY[i], GIVEN[i * 7 % len(GIVEN)]) for i in range(len(FAMILY))]
    people = [(f"{f} {g}", f"{fk} {gk}") for (f, fk), (g, gk) in pairs]
    for name, kana in people[:22]:
        TraineeFactory(event=lecture, name=name, kana=kana, municipality=None)
    log_in(page, live_server, "center")

    # Build the roster from the registrations on the phone.
    page.goto(f"{live_server.url}/attendance/events/{lecture.id}/")
    page.get_by_role("button", name="22名を名簿に追加する").click()
    page.wait_for_load_state()
    assert "出席 0名 / 名簿 22名" in page.locator("main").inner_text()

    # Check in 20 people: search by kana as you type, one tap each, no reload.
    page.goto(f"{live_server.url}/attendance/events/{lecture.id}/check-in/")
    page.evaluate("window.__sameDocument = true")
    search = page.locator("#q")
    for _name, kana in people[:20]:
        search.fill(kana.split()[0][:3])
        search.fill(kana.replace(" ", ""))
        row = page.locator("li.check-in-row:visible")
        assert row.count() == 1
        row.get_by_role("button", name="出席").click()
        row.get_by_role("button", name="取消").wait_for()
    page.locator("#pending").wait_for(state="hidden")
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("#attended-count").inner_text() == "20"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("li.check-in-row:visible button").first.bounding_box()
    assert box["height"] >= 44
    present = set(
        RosterEntry.objects.filter(event=lecture, status="present").values_list("name", flat=True)
    )
    assert present == {name for name, _kana in people[:20]}

    # Print the sign-in sheet: a PDF in kana order.
    page.goto(f"{live_server.url}/attendance/events/{lecture.id}/")
    href = page.get_by_role("link", name="出席簿（PDF）").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    if documents.FONT_PATH.is_file():
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
        on_sheet = [line for line in text.splitlines() if line in {n for n, _ in people}]
        by_kana = [n for n, _k in sorted(people[:22], key=lambda p: p[1].replace(" ", ""))]
        assert on_sheet == by_kana

    # Export the roster: a CSV that Excel opens in Japanese.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 23
    assert "出席" in data.decode("utf-8-sig")

    # Import the Zoom report of the online lecture.
    online = LectureFactory(
        kind="online_lecture",
        label="ウ",
        title="ひきこもりケースのアセスメント",
        starts_at=dt.datetime(2021, 11, 11, 14, tzinfo=TOKYO),
    )
    registered = [
        TraineeFactory(event=online, name=n, kana=k, municipality=None) for n, k in people[:3]
    ]
    page.goto(f"{live_server.url}/attendance/events/{online.id}/")
    page.get_by_role("button", name="3名を名簿に追加する").click()
    page.wait_for_load_state()
    report = (
        "\ufeff名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\r\n"
        + "".join(
            f"{r.name},{r.email},2021/11/11 14:00:00,2021/11/11 15:50:00,110\r\n"
            for r in registered
        )
        + "ゲスト参加,,2021/11/11 14:05:00,2021/11/11 15:00:00,55\r\n"
    )
    page.goto(f"{live_server.url}/attendance/events/{online.id}/import/")
    page.set_input_files(
        "#id_file",
        {"name": "participants.csv", "mimeType": "text/csv", "buffer": report.encode()},
    )
    page.get_by_role("button", name="取り込む").click()
    page.wait_for_load_state()
    assert (
        page.locator("#import-summary")
        .inner_text()
        .startswith("判定した形式: Zoom 参加者レポート（日本語）（UTF-8 (BOM)）、4行。")
    )
    assert page.locator("table.unmatched").inner_text().count("ゲスト参加") == 1
    assert RosterEntry.objects.filter(event=online, status="present").count() == 3


def test_check_in_retries_a_tap_that_the_connection_lost(live_server, phone_page, staff):
    page = phone_page
    event = LectureFactory()
    entry = RosterEntry.objects.create(
        event=event, source="walk_in", name="山本 陽子", kana="やまもと ようこ",
        affiliation_type="other",
    )  # fmt: skip
    failures = []

    def flaky(route):
        if len(failures) < 2:
            failures.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    log_in(page, live_server, "center")
    page.route("**/api/attendance/entries/*/status", flaky)
    page.goto(f"{live_server.url}/attendance/events/{event.id}/check-in/")

    page.get_by_role("button", name="出席").click()
    page.locator("#pending").wait_for(state="visible")
    pending = page.locator("#pending").inner_text()
    page.locator("#pending").wait_for(state="hidden", timeout=15000)

    entry.refresh_from_db()
    assert (pending, len(failures), entry.status) == ("未送信 1件", 2, "present")


def test_check_in_works_without_javascript(live_server, browser, staff):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="ja-JP", java_script_enabled=False
    )
    page = context.new_page()
    event = LectureFactory()
    RosterEntry.objects.create(
        event=event, source="walk_in", name="岡林 健太", kana="おかばやし けんた",
        affiliation_type="other",
    )  # fmt: skip
    RosterEntry.objects.create(
        event=event, source="walk_in", name="西森 美咲", kana="にしもり みさき",
        affiliation_type="other",
    )  # fmt: skip
    log_in(page, live_server, "center")

    page.goto(f"{live_server.url}/attendance/events/{event.id}/check-in/")
    page.fill("#q", "おかばやし")
    page.get_by_role("button", name="検索").click()
    page.wait_for_load_state()
    names = page.locator("li.check-in-row .name").all_inner_texts()
    page.get_by_role("button", name="出席").click()
    page.wait_for_load_state()

    assert names == ["岡林 健太"]
    assert page.locator(".messages").inner_text() == "岡林 健太：出席"
    assert list(RosterEntry.objects.order_by("id").values_list("status", flat=True)) == [
        "present", "expected",
    ]  # fmt: skip
    context.close()
