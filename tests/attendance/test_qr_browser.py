"""「QRで受付」 in a real Chromium at a phone's viewport, reading real QR codes through Chromium's
fake camera (a Y4M video of the codes made here): three people checked in, a duplicate answered
「すでに受付済み」, a waitlisted code refused, one undo (#25). Linux Chromium has no
BarcodeDetector, so the vendored jsQR decodes. Then two phones offline at one door."""

import datetime as dt

import pytest

from attendance.models import CheckInScan, RosterEntry
from core.fiscal import TOKYO
from tests.attendance.camera import camera_args, codes_in_view, write_y4m
from tests.attendance.factories import LectureFactory, TraineeFactory
from tests.axe import run_axe
from tests.conftest import CHROMIUM, PHONE, log_in
from tests.factories import UserFactory
from training.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(db):
    return UserFactory(username="center", role="center")


@pytest.fixture
def today(db):
    """A lecture that started half an hour ago (check-in is recorded from the event's day)."""
    starts = dt.datetime.now(TOKYO).replace(microsecond=0) - dt.timedelta(minutes=30)
    return LectureFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=3))


def camera_browser(chromium, video):
    """A Chromium of its own whose camera plays ``video`` (launched by the run's Playwright)."""
    return chromium.browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", *camera_args(video)],
    )


def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", has_touch=True, is_mobile=True)
    return context, context.new_page()


def open_door(page, live_server, event):
    log_in(page, live_server, "center")
    page.goto(f"{live_server.url}/attendance/events/{event.id}/check-in/")
    page.get_by_role("link", name="QRで受付").click()
    page.wait_for_selector("body[data-door-ready=true]")


def history(page) -> list[tuple[str, str]]:
    rows = page.locator("#door-history li").all()
    return [(row.get_attribute("data-result"), row.inner_text()) for row in reversed(rows)]


def wait_for_scans(page, count: int) -> None:
    """Until the device's history holds ``count`` scans (polled through evaluate: the page's
    CSP refuses wait_for_function's eval)."""
    for _ in range(600):
        if page.evaluate("document.querySelectorAll('#door-history li').length") >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"fewer than {count} scans: {history(page)}")


def test_the_camera_checks_three_in_refuses_one_and_undoes_one(
    live_server, chromium, staff, today, tmp_path
):
    names = ["青木 一郎", "井上 二郎", "上田 三郎"]
    people = [TraineeFactory(event=today, name=n, kana="") for n in names]
    waiting = TraineeFactory(event=today, name="江藤 待子", status=Registration.Status.WAITLISTED)
    codes = [p.checkin_code for p in people]
    video = tmp_path / "door.y4m"
    write_y4m(
        video, codes_in_view([*codes, codes[0], waiting.checkin_code], hold=15, gap=10, tail=400)
    )
    browser = camera_browser(chromium, video)
    context, page = phone(browser)
    try:
        open_door(page, live_server, today)
        page.get_by_role("button", name="カメラを起動").click()

        wait_for_scans(page, 5)
        page.locator("#door-pending").wait_for(state="hidden")

        seen = history(page)[:5]
        assert [result for result, _text in seen] == [
            "checked_in",
            "checked_in",
            "checked_in",
            "already",
            "waitlisted",
        ]
        assert [text.split("\u3000")[0] for _r, text in seen] == [*names, names[0], "江藤 待子"]
        assert "すでに受付済み（" in seen[3][1] and "キャンセル待ちの方です" in seen[4][1]
        assert page.locator("#door-camera").get_attribute("data-decoder") in {
            "jsQR",
            "BarcodeDetector",
        }
        assert run_axe(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page.locator("#door-history li", has_text=names[2]).get_by_role(
            "button", name="取消"
        ).click()
        page.locator("#scan-result[data-result=undone]").wait_for()
        page.locator("#door-pending").wait_for(state="hidden")
        wait_until(lambda: not CheckInScan.objects.filter(kind="undo").exists(), page)
    finally:
        context.close()
        browser.close()

    statuses = {e.name: e.status for e in RosterEntry.objects.filter(event=today)}
    assert statuses == {names[0]: "present", names[1]: "present", names[2]: "expected"}
    assert RosterEntry.objects.filter(event=today).attended().count() == 2
    undone = CheckInScan.objects.get(kind="undo")
    assert (undone.result, undone.entry.name) == ("undone", names[2])
    assert CheckInScan.objects.filter(result="waitlisted").count() >= 1


def wait_until(still_waiting, page) -> None:
    """Poll the database while the page's last request may still be on its way."""
    for _ in range(100):
        if not still_waiting():
            return
        page.wait_for_timeout(100)


def queued_times(page) -> dict[str, str]:
    """The device's unsent scans (IndexedDB): name -> the device's time of the scan."""
    return page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open('sasaeru-door', 1);
          open.onsuccess = () => {
            const all = open.result.transaction('queue').objectStore('queue').getAll();
            all.onsuccess = () => {
              const times = {};
              all.result.filter(op => op.kind === 'scan' && op.local === 'checked_in')
                .forEach(op => { times[op.name] = op.at; });
              resolve(times);
            };
          };
        })"""
    )


def test_two_phones_offline_check_each_person_in_once_keeping_the_earliest_time(
    live_server, chromium, staff, today, tmp_path
):
    names = ["小野 一子", "加藤 二子", "木村 三子"]
    people = [TraineeFactory(event=today, name=n, kana="") for n in names]
    video = tmp_path / "door.y4m"
    write_y4m(
        video,
        codes_in_view([p.checkin_code for p in people], hold=15, gap=10, tail=400),
    )
    browser = camera_browser(chromium, video)
    first, first_page = phone(browser)
    second, second_page = phone(browser)
    try:
        for page in (first_page, second_page):
            open_door(page, live_server, today)
        first.set_offline(True)
        second.set_offline(True)
        first_page.get_by_role("button", name="カメラを起動").click()
        wait_for_scans(first_page, 3)
        second_page.get_by_role("button", name="カメラを起動").click()
        wait_for_scans(second_page, 3)

        scanned = 0
        for page in (first_page, second_page):
            # (a camera opened again may replay the video: later readings say 「すでに受付済み」)
            seen = [r for r, _t in history(page)]
            assert seen[:3] == ["checked_in"] * 3
            assert set(seen[3:]) <= {"already"}
            assert page.locator("#door-pending").inner_text() == f"未送信 {len(seen)}件"
            scanned += len(seen)
        times = [queued_times(first_page), queued_times(second_page)]
        assert RosterEntry.objects.filter(event=today).attended().count() == 0

        second.set_offline(False)  # the later phone reports first
        second_page.locator("#door-pending").wait_for(state="hidden")
        first.set_offline(False)
        first_page.locator("#door-pending").wait_for(state="hidden")
    finally:
        first.close()
        second.close()
        browser.close()

    entries = {e.name: e for e in RosterEntry.objects.filter(event=today)}
    assert sorted(entries) == sorted(names)
    assert all(e.status == "present" for e in entries.values())
    for name in names:
        earliest = min(dt.datetime.fromisoformat(t[name].replace("Z", "+00:00")) for t in times)
        assert entries[name].checked_in_at == earliest.replace(
            microsecond=earliest.microsecond // 1000 * 1000
        )
    assert RosterEntry.objects.filter(event=today).attended().count() == 3
    assert CheckInScan.objects.filter(result="checked_in").count() == 3
    others = CheckInScan.objects.exclude(result="checked_in").values_list("result", flat=True)
    assert (set(others), len(others) >= scanned - 3) == ({"already"}, True)
    assert len(set(CheckInScan.objects.values_list("device", flat=True))) == 2


def stored(page) -> dict:
    """What the device keeps (IndexedDB): its rosters and its unsent operations."""
    return page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open('sasaeru-door', 1);
          open.onsuccess = () => {
            const tx = open.result.transaction(['rosters', 'queue']);
            const rosters = tx.objectStore('rosters').getAll();
            const queue = tx.objectStore('queue').getAll();
            tx.oncomplete = () => resolve({rosters: rosters.result, queue: queue.result});
          };
        })"""
    )


def test_the_device_copy_holds_little_expires_and_is_cleared(live_server, phone_page, staff, today):
    page = phone_page
    TraineeFactory(event=today, name="佐藤 花子", kana="さとう はなこ", email="s@example.jp")
    open_door(page, live_server, today)

    [roster] = stored(page)["rosters"]
    [person] = roster["people"]
    assert set(person) == {"code_hash", "name", "kana", "status", "entry_id", "checked_in_at"}
    assert (person["name"], person["status"]) == ("佐藤 花子", "expected")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="端末のデータを消去").click()
    page.get_by_text("この端末のデータを消去しました。").wait_for()
    assert stored(page) == {"rosters": [], "queue": []}

    page.reload()
    page.wait_for_selector("body[data-door-ready=true]")
    page.evaluate(
        """(id) => new Promise((resolve) => {
          const open = indexedDB.open('sasaeru-door', 1);
          open.onsuccess = () => {
            const tx = open.result.transaction(['rosters', 'queue'], 'readwrite');
            tx.objectStore('rosters').put({event_id: 999, expires_at: '2021-07-09T00:00:00+09:00',
              people: [{code_hash: 'x', name: '昔 の人'}]});
            tx.objectStore('queue').put({client_id: 'old', event_id: 999, kind: 'scan'});
            tx.oncomplete = resolve;
          };
        })""",
        today.id,
    )
    page.reload()
    page.wait_for_selector("body[data-door-ready=true]")
    assert [r["event_id"] for r in stored(page)["rosters"]] == [today.id]
    assert stored(page)["queue"] == []
