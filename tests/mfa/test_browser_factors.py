"""The second factor in Debian's Chromium: `center` sets up an authenticator app (codes
computed as the app would), logs in with it, registers a passkey on a software authenticator
(the DevTools protocol's virtual authenticator: CTAP2, internal, resident key, user
verification), logs in with the passkey, then with a recovery code; a staff login without a
factor, when the center requires it, reaches no page but the enrolment. axe-core finds nothing
on the new pages, at phone and desktop sizes."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory import center
from tests.axe import describe, run_axe
from tests.conftest import PHONE, close_checked_context, log_in, open_checked_context
from tests.mfa.helpers import code_for_secret, with_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page):
    violations = run_axe(page)
    assert violations == [], describe(violations)


def _log_out(page):
    page.locator(".account-menu summary").click()
    page.click(".account-menu form[action='/logout/'] button")
    page.wait_for_load_state()


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


@pytest.fixture
def requiring_center(center_staff, health_office_staff):
    center.update_profile(by=center_staff, require_second_factor=True)


def test_a_staff_login_without_a_factor_is_refused_every_page_but_enrolment(
    live_server, phone_page, requiring_center
):
    log_in(phone_page, live_server, "hata")
    landed = phone_page.url
    _no_violations(phone_page)
    for path in ("/training/", "/supervision/", "/account/tokens/", "/calendar/"):
        phone_page.goto(live_server.url + path)
        assert "/account/second-factor/enrol/" in phone_page.url, path
    api = phone_page.request.get(live_server.url + "/api/directory/blocks")

    assert "/account/second-factor/enrol/" in landed
    assert phone_page.locator("h1").inner_text() == "二要素認証の設定"
    assert api.status == 403


def test_center_enrols_an_app_and_a_passkey_and_logs_in_with_each_and_a_recovery_code(
    live_server, browser, requiring_center
):
    context = open_checked_context(browser, {"width": 1280, "height": 900})
    page = context.new_page()

    # The password, then the enrolment the center requires: an authenticator app.
    log_in(page, live_server, "center")
    assert "/account/second-factor/enrol/" in page.url
    page.click("text=認証アプリを設定する")
    _no_violations(page)
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", code_for_secret(secret))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "リカバリーコード"
    _no_violations(page)
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.click("text=保管しました（次へ）")
    assert page.locator(".account .who").inner_text() == "支援 花子"

    # Logging in again: the password, then the app's (next) code.
    _log_out(page)
    log_in(page, live_server, "center")
    assert "/account/second-factor/verify/" in page.url
    _no_violations(page)
    page.fill("#id_code", code_for_secret(secret, ahead=1))
    page.click("main form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/second-factor/" not in page.url

    # A passkey on the software authenticator.
    cdp, authenticator = _virtual_authenticator(page)
    page.goto(live_server.url + "/account/second-factor/")
    _no_violations(page)
    page.click("main a:has-text('パスキーを登録する')")
    _no_violations(page)
    page.click("#passkey-register-button")
    page.wait_for_url(re.compile(r"/account/second-factor/$"))
    assert page.locator("main .messages").inner_text() == "パスキーを登録しました。"
    assert page.locator("section[aria-labelledby=passkeys-title] li form").count() == 1

    # Logging in with the password and the passkey.
    _log_out(page)
    log_in(page, live_server, "center")
    assert "/account/second-factor/verify/" in page.url
    _no_violations(page)
    page.click("#passkey-verification-button")
    page.wait_for_url(live_server.url + "/")
    assert page.locator(".account .who").inner_text() == "支援 花子"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert credentials["credentials"][0]["signCount"] >= 1

    # Logging in with a recovery code, which is then used up.
    _log_out(page)
    log_in(page, live_server, "center")
    page.fill("#id_code", codes[0])
    page.click("main form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/second-factor/" not in page.url
    page.goto(live_server.url + "/account/second-factor/")
    assert "残り 9 個" in page.locator("main").inner_text()

    # The same pages at a phone's width.
    page.set_viewport_size(PHONE)
    for path in ("/account/second-factor/", "/account/second-factor/passkey/"):
        page.goto(live_server.url + path)
        _no_violations(page)
    close_checked_context(context)


def test_center_staff_reset_a_colleagues_factor_on_a_phone(
    live_server, phone_page, center_staff, health_office_staff
):
    with_app(health_office_staff)
    log_in(phone_page, live_server, "center")
    phone_page.goto(live_server.url + "/account/second-factor/staff/")
    _no_violations(phone_page)

    phone_page.fill(f"#reason-{health_office_staff.pk}", "スマートフォン紛失")
    phone_page.click(f"form[action$='/{health_office_staff.pk}/reset/'] button")
    phone_page.wait_for_load_state()

    assert "二要素認証をリセットしました" in phone_page.locator("main .messages").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _no_violations(phone_page)
    assert not TOTPDevice.objects.filter(user=health_office_staff).exists()
