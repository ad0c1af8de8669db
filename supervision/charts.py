"""The dashboard's charts (server-side SVG from ``core.charts``): visits done against the plan
per target ("2 / 5"), and the visits done by the same date of the previous fiscal year."""

import datetime as dt

from django.utils.safestring import SafeString

from core.charts import Bar, bar_chart
from core.fiscal import fiscal_year_label, wareki_long


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def progress_chart(items, *, fiscal_year: int, as_of: dt.date) -> SafeString:
    """Done vs planned per target, the plan outlined and what is done filled in."""
    title = f"実施済／予定（{fiscal_year_label(fiscal_year)}、{wareki_long(as_of)}現在）"
    return bar_chart(
        chart_id="chart-progress",
        title=title,
        description="支援先ごとの実施済の訪問回数と年間の予定回数。",
        bars=[
            Bar(item.name, (item.done, item.planned), f"{item.done} / {item.planned}回")
            for item in items
        ],
        shape="progress",
    )


def comparison_chart(items, previous_items, *, fiscal_year: int, as_of: dt.date) -> SafeString:
    """Visits done per target this year and by the same date of the previous year."""
    this_year, last_year = fiscal_year_label(fiscal_year), fiscal_year_label(fiscal_year - 1)
    before = {item.target_id: item.done for item in previous_items}
    return bar_chart(
        chart_id="chart-progress-years",
        title=f"実施済の訪問回数 {this_year}と{last_year}（同じ時点）",
        description=f"支援先ごとの実施済の訪問回数。{this_year}は{wareki_long(as_of)}現在、"
        f"{last_year}は{wareki_long(a_year_before(as_of))}現在。",
        bars=[
            Bar(
                item.name,
                (item.done, before.get(item.target_id, 0)),
                f"{item.done}回（{last_year} {before.get(item.target_id, 0)}回）",
            )
            for item in items
        ],
        series=[this_year, last_year],
    )
