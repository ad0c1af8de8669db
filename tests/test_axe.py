"""The accessibility checks themselves: axe finds a serious violation, the target check a small
target, touching cards and an ISO date; and the home page has none."""

import pytest

from tests.axe import assert_no_serious_violations, run_axe
from tests.targets import iso_dates_shown, small_targets, touching_cards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_fails_on_a_serious_violation(desktop_page):
    desktop_page.set_content(
        '<html lang="ja"><head><title>t</title></head><body><main>'
        '<img src="x.png"><label>名前</label><input type="text"></main></body></html>'
    )

    ids = {v["id"] for v in run_axe(desktop_page)}
    assert {"image-alt", "label"} <= ids
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_no_serious_violations(desktop_page)


def test_the_public_home_page_passes_axe(live_server, desktop_page, phone_page):
    for page in (desktop_page, phone_page):
        page.goto(live_server.url + "/")
        assert_no_serious_violations(page)


def test_the_target_check_finds_small_targets_touching_cards_and_iso_dates(phone_page):
    phone_page.set_content(
        '<html lang="ja"><head><title>t</title><style>a{font-size:12px}.card{height:40px}'
        "</style></head><body><main>"
        '<p><a href="/a">一覧へ</a></p>'
        '<p>詳しくは<a href="/b">こちら</a>をご覧ください。</p>'
        '<button type="submit" style="height:30px">送信</button>'
        '<div class="card" id="one"></div><div class="card" id="two"></div>'
        '<p>日時: 2026-12-18</p><input value="2026-12-19" aria-label="日付">'
        "</main></body></html>"
    )

    small = small_targets(phone_page)
    assert any("一覧へ" in target and "< 24" in target for target in small)
    assert any("送信" in target and "< 44" in target for target in small)
    assert not any("こちら" in target for target in small)  # inline in a sentence
    assert touching_cards(phone_page) == ["one and two: 0 px"]
    assert iso_dates_shown(phone_page) == ["2026-12-18"]
