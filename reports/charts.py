"""The report's charts (server-side SVG, ``core.charts``): planned vs done per target,
participants per training and per liaison block, consultations by channel, and this year
against the previous one. Each chart comes with its title and the numbers beside the bars."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from core.charts import Bar, bar_chart
from core.fiscal import wareki_long


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: SafeString
    bars: tuple = ()
    series: tuple = ()
    shape: str = "grouped"


def _pair(current: int, previous: int | None, unit: str, previous_label: str) -> str:
    if previous is None:
        return f"{current}{unit}"
    return f"{current}{unit}（{previous_label} {previous}{unit}）"


def _by_block(report) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in report.meetings:
        name = line.event.block.name
        totals[name] = totals.get(name, 0) + line.attended
    return totals


def _channels(report) -> dict[str, int]:
    return dict(report.direct_support.consultations) if report.direct_support else {}


def _grouped(chart_id, title, description, rows, unit, report, previous) -> Chart:
    """rows: (label, current, previous or None)."""
    previous_label = previous.label if previous else ""
    series = [report.label, previous.label] if previous else [report.label]
    bars = [
        Bar(
            label=label,
            values=(current,) if previous is None else (current, before or 0),
            text=_pair(current, before if previous else None, unit, previous_label),
        )
        for label, current, before in rows
    ]
    return Chart(
        chart_id,
        title,
        bar_chart(
            chart_id=chart_id, title=title, description=description, bars=bars, series=series
        ),
        tuple(bars),
        tuple(series),
    )


def report_charts(report, previous=None) -> list[Chart]:
    """The charts of the report page (``previous``: the same report a year before)."""
    charts = [
        _targets_chart(report),
        _trainings_chart(report, previous),
        _blocks_chart(report, previous),
        _channels_chart(report, previous),
    ]
    if previous is not None:
        charts.append(_years_chart(report, previous))
    return charts


def _targets_chart(report) -> Chart:
    targets = [*report.public_targets, *report.partner_targets]
    title = f"関係機関支援 実施済／予定（{report.label}、{wareki_long(report.as_of)}現在）"
    target_bars = [Bar(t.name, (t.done, t.planned), f"{t.done} / {t.planned}回") for t in targets]
    return Chart(
        "chart-targets",
        title,
        bar_chart(
            chart_id="chart-targets",
            title=title,
            description="支援先ごとの実施済の回数と年間の予定回数。",
            bars=target_bars,
            shape="progress",
        ),
        tuple(target_bars),
        (),
        "progress",
    )


def _trainings_chart(report, previous) -> Chart:
    before_trainings = (
        {line.event.label: line.attended for line in previous.trainings} if previous else {}
    )
    return _grouped(
        "chart-trainings",
        "研修ごとの参加者数",
        "人材養成研修ごとの参加者数（前年度は同じ記号の研修）。",
        [
            (
                f"{line.event.label} {line.event.title}".strip(),
                line.attended,
                before_trainings.get(line.event.label),
            )
            for line in report.trainings
            if line.state == "held"
        ],
        "名",
        report,
        previous,
    )


def _blocks_chart(report, previous) -> Chart:
    blocks, before_blocks = _by_block(report), _by_block(previous) if previous else {}
    return _grouped(
        "chart-blocks",
        "ひきこもり支援者連絡会議 ブロック別参加者数",
        "ブロックごとの連絡会議の参加者数の合計。",
        [
            (f"{name}ブロック", blocks.get(name, 0), before_blocks.get(name, 0))
            for name in dict.fromkeys([*blocks, *before_blocks])
        ],
        "名",
        report,
        previous,
    )


def _channels_chart(report, previous) -> Chart:
    channels, before_channels = _channels(report), _channels(previous) if previous else {}
    return _grouped(
        "chart-channels",
        "相談受理件数（経路別）",
        "相談支援の経路ごとの相談受理件数。",
        [
            (name, channels.get(name, 0), before_channels.get(name, 0))
            for name in dict.fromkeys([*channels, *before_channels])
        ],
        "件",
        report,
        previous,
    )


def _years_chart(report, previous) -> Chart:
    return _grouped(
        "chart-years",
        f"{report.label}と{previous.label}の比較",
        f"主な実績の{report.label}と{previous.label}（同じ時点）の比較。",
        [
            ("相談受理件数", *_totals(report, previous, "consultations")),
            ("居場所 参加延べ人数", *_totals(report, previous, "ibasho")),
            ("研修 参加者数", report.trainings_attended, previous.trainings_attended),
            ("連絡会議 参加者数", report.meetings_attended, previous.meetings_attended),
            ("普及啓発 参加者数", report.awareness_attended, previous.awareness_attended),
            ("関係機関支援 実施回数", _done(report), _done(previous)),
            ("講師派遣回数", report.dispatches_done, previous.dispatches_done),
        ],
        "",
        report,
        previous,
    )


def _done(report) -> int:
    return sum(t.done for t in [*report.public_targets, *report.partner_targets])


def _totals(report, previous, what: str) -> tuple[int, int]:
    def value(r) -> int:
        if r.direct_support is None:
            return 0
        if what == "consultations":
            return r.direct_support.consultations_total
        return r.direct_support.ibasho_participants

    return value(report), value(previous)
