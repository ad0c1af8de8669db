"""The SVG charts are built on the server with a title, a text alternative and every number."""

import re

from core.charts import Bar, bar_chart


def test_chart_has_title_desc_and_the_numbers_beside_the_bars():
    svg = bar_chart(
        chart_id="c1",
        title="連絡会議 <参加者>",
        description="ブロックごとの参加者数。",
        bars=[Bar("西部", (38, 30), "38名（前年度 30名）"), Bar("中央", (48, 0), "48名")],
        series=["令和3年度", "令和2年度"],
    )

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">連絡会議 &lt;参加者&gt;</title>' in svg
    assert (
        '<desc id="c1-desc">ブロックごとの参加者数。 西部：38名（前年度 30名）。 中央：48名。</desc>'
    ) in svg
    assert re.findall(r">([^<>]*名[^<>]*)</text>", svg) == ["38名（前年度 30名）", "48名"]
    assert "<script" not in svg


def test_progress_chart_draws_the_plan_and_what_is_done():
    svg = bar_chart(
        chart_id="p",
        title="実施済／予定",
        description="",
        bars=[Bar("いの町", (2, 5), "2 / 5回")],
        shape="progress",
    )

    widths = re.findall(r'<rect x="190" y="\d+" width="([\d.]+)"', svg)

    assert widths == ["300.0", "120.0"]  # the plan (5) and the part done (2 of 5)


def test_empty_chart_says_there_is_no_data():
    svg = bar_chart(chart_id="e", title="t", description="d", bars=[])

    assert "（データなし）" in svg
