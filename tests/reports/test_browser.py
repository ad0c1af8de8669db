"""The report and the supervision dashboard in Chromium: their SVG charts have a title and a
text alternative, the numbers are beside the bars, and axe-core finds no serious violation.
The invented demo year says so on both pages."""

import io

import pytest
from django.core.management import call_command

from tests.axe import assert_no_serious_violations
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _charts(page) -> list[dict]:
    return page.eval_on_selector_all(
        "svg.chart",
        """svgs => svgs.map(svg => ({
            role: svg.getAttribute('role'),
            title: svg.querySelector('title')?.textContent || '',
            desc: svg.querySelector('desc')?.textContent || '',
            labelledby: (svg.getAttribute('aria-labelledby') || '').split(' ')
                .map(id => document.getElementById(id)?.textContent || ''),
            numbers: [...svg.querySelectorAll('text')].map(t => t.textContent),
        }))""",
    )


@pytest.fixture
def demo_and_login(live_server, desktop_page):
    call_command("load_demo", stdout=io.StringIO())
    log_in(desktop_page, live_server, "center", "sasaeru-demo")
    return desktop_page


def test_report_charts_have_titles_text_alternatives_and_numbers(live_server, demo_and_login):
    page = demo_and_login

    page.goto(f"{live_server.url}/reports/2021/?as_of=2021-09-30")
    charts = _charts(page)

    assert [c["title"] for c in charts] == [
        "関係機関支援 実施済／予定（令和3年度、令和3年9月30日現在）",
        "研修ごとの参加者数",
        "ひきこもり支援者連絡会議 ブロック別参加者数",
        "相談受理件数（経路別）",
    ]  # no comparison with 令和2年度: that year has no data
    assert {c["role"] for c in charts} == {"img"}
    assert all(c["labelledby"] == [c["title"], c["desc"]] for c in charts)
    assert "いの町：2 / 5回。" in charts[0]["desc"]
    assert "2 / 5回" in charts[0]["numbers"]
    assert "来所相談：394件。" in charts[3]["desc"]
    assert_no_serious_violations(page)


def test_invented_year_is_marked_and_compared_with_the_seed_year(live_server, demo_and_login):
    page = demo_and_login

    page.goto(f"{live_server.url}/reports/2022/?as_of=2022-09-30")
    charts = _charts(page)

    assert page.locator(".report .invented").inner_text().startswith("デモ用の架空データ")
    assert "西部ブロック：29名（令和3年度 38名）。" in charts[2]["desc"]
    assert_no_serious_violations(page)


def test_dashboard_shows_the_progress_charts_and_passes_axe(live_server, demo_and_login):
    page = demo_and_login

    page.goto(f"{live_server.url}/supervision/?fiscal_year=2022&as_of=2022-09-30")
    charts = _charts(page)

    assert [c["role"] for c in charts] == ["img", "img"]
    assert charts[0]["title"] == "実施済／予定（令和4年度、令和4年9月30日現在）"
    assert "いの町：1 / 4回。" in charts[0]["desc"]
    assert "いの町：1回（令和3年度 2回）。" in charts[1]["desc"]
    assert page.locator(".invented").inner_text().startswith("デモ用の架空データ")
    assert_no_serious_violations(page)


def test_report_prints_on_a4_without_the_navigation(live_server, demo_and_login):
    page = demo_and_login
    page.goto(f"{live_server.url}/reports/2021/?as_of=2021-09-30")

    page.emulate_media(media="print")
    hidden = page.eval_on_selector_all(
        ".site-header, .report-tools", "els => els.map(e => getComputedStyle(e).display)"
    )
    pdf = page.pdf(format="A4", prefer_css_page_size=True)

    assert hidden == ["none", "none"]
    assert pdf.startswith(b"%PDF")
