"""Charts that read on a phone (issue #21): at 390 px wide the SVG text of the dashboard's and
the report's charts renders at least 12 px high (measured in the browser), the page itself does
not scroll sideways, and axe-core stays at 0 violations."""

import pytest

from core.usecases import SYSTEM
from supervision import services
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest rendered font size of any text in the page's charts, in CSS pixels.
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(t => {
  const size = parseFloat(getComputedStyle(t).fontSize);
  return size * t.getScreenCTM().a;
}))"""


def test_chart_text_is_at_least_12px_on_a_phone(live_server, phone_page, center_staff):
    services.set_plan(target_id=target("いの町").pk, fiscal_year=2021, planned=5, actor=SYSTEM)
    VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")
    log_in(phone_page, live_server, "center")

    sizes = {}
    for url in ("/supervision/?fiscal_year=2021&as_of=2021-09-30", "/reports/2021/"):
        phone_page.goto(f"{live_server.url}{url}")
        assert phone_page.locator("svg.chart text").count() > 0, url
        sizes[url] = phone_page.evaluate(SMALLEST_TEXT)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, url
        assert_no_serious_violations(phone_page, context=url)

    assert min(sizes.values()) >= 12, sizes


def test_dashboard_rows_keep_their_headings_on_a_phone(live_server, phone_page, center_staff):
    services.set_plan(target_id=target("いの町").pk, fiscal_year=2021, planned=5, actor=SYSTEM)
    VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")
    log_in(phone_page, live_server, "center")

    phone_page.goto(f"{live_server.url}/supervision/?fiscal_year=2021&as_of=2021-09-30")
    row = phone_page.locator('tr[data-target="いの町"]')
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )

    assert labels[0] == "none"  # the name itself
    assert labels[1] == '"実施済／予定："', labels
    assert all(label.endswith('："') for label in labels[1:]), labels
    assert_no_serious_violations(phone_page, context="dashboard rows")
