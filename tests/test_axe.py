"""The accessibility checks themselves: axe finds a serious violation, the target check a small
target, touching cards and an ISO date; and the home page has none."""

import pytest

from tests.axe import assert_no_serious_violations, run_axe
from tests.conftest import PHONE, close_checked_context, open_checked_context
from tests.targets import iso_dates_shown, page_check_views, small_targets, touching_cards

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
        '<ul><li><a href="/a">一覧へ</a></li><li><a href="/c">次へ</a></li></ul>'
        '<p style="margin: 32px 0"><a href="/d">離れた小さなリンク</a></p>'
        '<svg aria-hidden="true" width="40" height="40">'
        '<a href="/a" tabindex="-1" aria-label="点A"><circle cx="5" cy="5" r="3"/></a>'
        '<a href="/y" tabindex="-1" aria-label="点Y"><circle cx="25" cy="25" r="3"/></a>'
        '<a href="/z" tabindex="-1" aria-label="点Z"><circle cx="35" cy="25" r="3"/></a></svg>'
        '<p>詳しくは<a href="/b">こちら</a>をご覧ください。</p>'
        '<button type="submit" style="height:30px">送信</button>'
        '<div class="card" id="one"></div><div class="card" id="two"></div>'
        '<p>日時: 2026-12-18 電話 0880-00-0000</p><input value="2026-12-19" aria-label="日付">'
        "</main></body></html>"
    )

    small = small_targets(phone_page)
    assert any("一覧へ" in target and "< 24" in target for target in small)
    assert any("送信" in target and "< 44" in target for target in small)
    assert not any("こちら" in target for target in small)  # inline in a sentence
    assert not any("離れた" in target for target in small)  # spaced (2.5.8's exception)
    # A map's dots: /a is offered again (equivalent); /y and /z are not, and too close.
    assert [target.split()[1] for target in small if "点" in target] == ["点Y", "点Z"]
    assert touching_cards(phone_page) == ["one and two: 0 px"]
    assert iso_dates_shown(phone_page) == ["2026-12-18"]


def test_every_page_load_is_checked_on_a_phone_and_on_the_desktop(live_server, browser):
    """The checks run by themselves on each page a checked context loads (no call in the
    test): on a phone the small target, the touching cards and the ISO date; on the desktop
    the ISO date only; and closing the context fails the test."""
    html = (
        '<html lang="ja"><head><title>t</title><meta name="viewport" content="width=device-width">'
        "<style>a{font-size:12px}.card{height:40px}</style></head><body><main>"
        '<ul><li><a href="/a">一覧へ</a></li><li><a href="/c">次へ</a>'
        '</li></ul><div class="card" id="one">'
        '</div><div class="card" id="two"></div><p>日時: 2026-12-18</p></main></body></html>'
    )
    found = {}
    for name, viewport in (("phone", PHONE), ("desktop", {"width": 1366, "height": 900})):
        context = open_checked_context(browser, viewport)
        context.route(
            "**/checked/",
            lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=html),
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.goto(live_server.url + "/checked/")
        found[name] = page_check_views(context)
        with pytest.raises(pytest.fail.Exception, match="ISO date 2026-12-18") as failed:
            close_checked_context(context)
        found[name + " failure"] = str(failed.value)

    assert [view["url"] for view in found["phone"]] == ["/", "/checked/"]
    assert found["phone"][0]["small"] == found["phone"][0]["iso"] == []
    checked = found["phone"][1]
    assert any("一覧へ" in target for target in checked["small"]), checked
    assert checked["touching"] == ["one and two: 0 px"]
    assert checked["iso"] == ["2026-12-18"]
    assert "/checked/: small target <a> 一覧へ" in found["phone failure"]
    desktop = found["desktop"][1]
    assert (desktop["small"], desktop["touching"], desktop["iso"]) == ([], [], ["2026-12-18"])
