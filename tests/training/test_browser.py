"""End to end in Chromium: a trainee on a phone registers, confirms by the emailed link, sees
their waitlist position, is promoted when someone cancels, cancels in turn; the next person is
promoted and emailed; staff see it all."""

import re

import pytest
from django.core import mail

from core import center
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, pattern: str) -> str:
    return re.search(pattern, message.body).group(0)


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def center_with_contacts():
    """The center's profile with its phone and FAX (core.center's provider), as the
    prefecture's settings give it."""
    previous = center.register_provider(
        lambda: center.Center(
            name="高知県ひきこもり地域支援センター", phone="088-821-4508", fax="088-821-4509"
        )
    )
    yield
    center.register_provider(previous)


def test_trainee_registers_confirms_waits_is_promoted_and_cancels(
    live_server, phone_page, center_with_contacts
):
    event = EventFactory(capacity=1, title="ひきこもりに関する理解と支援")
    seated = RegistrationFactory(event=event, name="先着 一子", email="first@example.jp")
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())

    # From the home page: the open training, its date in 和暦, a 申し込む button.
    page.goto(f"{live_server.url}/")
    assert_no_serious_violations(page)
    card = page.locator(".event-card", has_text="ひきこもりに関する理解と支援")
    card_text = card.inner_text()
    widths = [fits_the_phone(page)]
    card.get_by_role("link", name="申し込む").click()
    assert_no_serious_violations(page)
    phone_and_fax = page.locator(".by-phone").inner_text()

    # Sent empty: an error summary at the top, focused, naming each field in Japanese.
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    summary_text = summary.inner_text()
    summary_has_focus = page.evaluate(
        "document.activeElement === document.querySelector('.error-summary')"
    )
    assert_no_serious_violations(page)
    summary.get_by_role("link", name="氏名を入力してください").click()
    focused_after_link = page.evaluate("document.activeElement.id")

    page.fill("#id_name", "高知 花子")
    page.fill("#id_kana", "こうち はなこ")
    page.fill("#id_email", "hanako@example.jp")
    page.select_option("#id_affiliation_type", "welfare_commissioner")
    page.select_option("#id_municipality", label="いの町")
    widths.append(fits_the_phone(page))
    page.click("main button[type=submit]")
    check_email = page.locator("h1").inner_text()
    assert_no_serious_violations(page)
    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, r"http\S+/training/confirm/\S+/").replace(
        "http://127.0.0.1:8000", live_server.url
    ))  # fmt: skip
    assert_no_serious_violations(page)
    page.click("main button[type=submit]")
    waiting_status = page.locator("#status").inner_text()
    next_step = page.locator("#next-step").inner_text()
    assert_no_serious_violations(page)
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
    cancel_button = page.locator("#cancel").inner_text()
    cancel_box = page.locator("#cancel").bounding_box()
    assert_no_serious_violations(page)
    page.click("#cancel")
    cancelled_status = page.locator("#status").inner_text()
    assert_no_serious_violations(page)

    later.refresh_from_db()
    assert "令和" in card_text and "（" in card_text  # 和暦 with the weekday
    assert "残り" in card_text or "満席" in card_text
    assert "088-821-4508" in phone_and_fax and "088-821-4509" in phone_and_fax
    assert "氏名を入力してください" in summary_text
    assert "所属の種別を選択してください" in summary_text
    assert summary_has_focus
    assert focused_after_link == "id_name"
    assert check_email == "メールを確認してください"
    assert waiting_status == "キャンセル待ちです。 現在1番目です。"
    assert "メールでお知らせします" in next_step
    assert promoted_status == "申込が確定しています。"
    assert cancel_button == "申込を取り消す"
    assert cancel_box["height"] >= 44 and cancel_box["width"] >= 44
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
