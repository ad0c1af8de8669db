"""The accessibility check itself: it finds a serious violation, and the home page has none."""

import pytest

from tests.axe import assert_no_serious_violations, run_axe

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
