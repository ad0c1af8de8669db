"""End to end in Chromium: a trainee on a phone registers, confirms by the emailed link, sees
their waitlist position, is promoted when someone cancels, cancels in turn; the next person is
promoted and emailed; staff see it all."""

import re

import pytest
from django.core import mail

from tests.conftest import log_in
from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, pattern: str) -> str:
    return re.search(pattern, message.body).group(0)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_trainee_registers_confirms_waits_is_promoted_and_cancels(live_server, phone_page):
    event = EventFactory(capacity=1, title="ひきこもりに関する理解と支援")
    seated = RegistrationFactory(event=event, name="先着 一子", email="first@example.jp")
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/training/")
    widths = [fits_the_phone(page)]
    page.click("text=ひきこもりに関する理解と支援")
    page.fill("#id_name", "高知 花子")
    page.fill("#id_kana", "こうち はなこ")
    page.fill("#id_email", "hanako@example.jp")
    page.select_option("#id_affiliation_type", "welfare_commissioner")
    page.select_option("#id_municipality", label="いの町")
    widths.append(fits_the_phone(page))
    page.click("main button[type=submit]")
    check_email = page.locator("h1").inner_text()
    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, r"http\S+/training/confirm/\S+/").replace(
        "http://127.0.0.1:8000", live_server.url
    ))  # fmt: skip
    page.click("main button[type=submit]")
    waiting_status = page.locator("#status").inner_text()
    widths.append(fits_the_phone(page))
    hanako = Registration.objects.get(email="hanako@example.jp")
    later = RegistrationFactory(
        event=event, status="waitlisted", name="次点 三郎", email="next@example.jp"
    )

    # The seated trainee cancels from their own link: 花子 is promoted and told.
    page.goto(f"{live_server.url}/training/r/{seated.management_token}/")
    page.click("#cancel")
    page.goto(f"{live_server.url}/training/r/{hanako.management_token}/")
    promoted_status = page.locator("#status").inner_text()
    page.click("#cancel")
    cancelled_status = page.locator("#status").inner_text()

    later.refresh_from_db()
    assert check_email == "メールを確認してください"
    assert waiting_status == "キャンセル待ち キャンセル待ち順位: 1"
    assert promoted_status == "参加確定"
    assert cancelled_status == "キャンセル"
    assert later.status == "confirmed"
    assert [(sent_to(m), m.subject.split(":")[0]) for m in mail.outbox] == [
        ("hanako@example.jp", "申込の確認をお願いします"),
        ("hanako@example.jp", "キャンセル待ちに登録しました"),
        ("hanako@example.jp", "キャンセル待ちから参加確定になりました"),
        ("first@example.jp", "申込をキャンセルしました"),
        ("next@example.jp", "キャンセル待ちから参加確定になりました"),
        ("hanako@example.jp", "申込をキャンセルしました"),
    ]
    assert widths == [True, True, True]


def test_staff_see_the_registrations_and_enter_a_fax(live_server, desktop_page, center_staff):
    event = EventFactory(capacity=1, title="事例検討の進め方")
    RegistrationFactory(event=event, name="先着 一子")
    page = desktop_page
    log_in(page, live_server, "center")

    page.goto(f"{live_server.url}/training/staff/events/{event.pk}/")
    page.click("text=電話・FAXの申込を入力")
    page.fill("#id_name", "土佐 次郎")
    page.fill("#id_phone", "0880-00-0000")
    page.fill("#id_email", "")
    page.select_option("#id_affiliation_type", "municipal")
    page.select_option("#id_source", "fax")
    page.click("main button[type=submit]")

    rows = page.locator("#registrations tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == ["参加確定", "キャンセル待ち 1"]
    assert "土佐 次郎" in rows[1]
