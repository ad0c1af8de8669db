"""Horizontal bar charts drawn on the server as SVG: no JavaScript, no CDN, printable.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``
that spells out every number (the text alternative), and the numbers are written beside the
bars, so nobody has to read a value off an axis. Pure: plain values in, markup out (escaped).

Two shapes:

- ``progress``: one bar per row, ``values=(done, planned)``: the plan as an outlined bar, what
  is done filled inside it ("2 / 5");
- ``grouped``: one bar per series and row (e.g. this year and the previous one), with a legend.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 190
BAR_WIDTH = 300
BAR_HEIGHT = 16
ROW_GAP = 10
TOP = 8
COLORS = ["#2f6f6a", "#8fb8b4", "#c9a227", "#6b5b95"]
INK = "#1d2a33"


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[int, ...]
    text: str
    """The numbers written beside the bar, e.g. "2 / 5" or "38名（前年度 30名）"."""


def _clip(label: str, size: int = 14) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: list[Bar],
    series: list[str] | None = None,
    shape: str = "grouped",
) -> SafeString:
    """An SVG bar chart. ``description`` is the text alternative's first sentence; every bar's
    label and text follow it. ``series`` names the values of a grouped chart (its legend)."""
    series = series or []
    per_row = 1 if shape == "progress" else max(1, max((len(b.values) for b in bars), default=1))
    row_height = per_row * BAR_HEIGHT + ROW_GAP
    legend_height = 22 if shape == "grouped" and len(series) > 1 else 0
    height = TOP + legend_height + max(1, len(bars)) * row_height + 4
    top = max((max(b.values, default=0) for b in bars), default=0) or 1
    alt = " ".join([description, *(f"{bar.label}：{bar.text}。" for bar in bars)])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{escape(chart_id)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(alt)}</desc>',
    ]
    y = TOP
    if legend_height:
        out.append(_legend(series, y))
        y += legend_height
    if not bars:
        out.append(f'<text x="0" y="{y + 12}" font-size="13" fill="{INK}">（データなし）</text>')
    for bar in bars:
        out.append(_row(bar, y, per_row=per_row, top=top, shape=shape))
        y += row_height
    out.append("</svg>")
    return mark_safe("".join(out))


def _legend(series: list[str], y: int) -> str:
    out, x = [], LABEL_WIDTH
    for index, name in enumerate(series):
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLORS[index % 4]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12" fill="{INK}">{escape(name)}</text>'
        )
        x += 30 + 13 * len(name)
    return "".join(out)


def _row(bar: Bar, y: int, *, per_row: int, top: int, shape: str) -> str:
    """One row: the label, the bar (or bars) and the numbers beside them."""
    label_y = y + (per_row * BAR_HEIGHT) / 2 + 5
    out = [
        f'<text x="{LABEL_WIDTH - 8}" y="{label_y:.0f}" font-size="13" text-anchor="end" '
        f'fill="{INK}">{escape(_clip(bar.label))}</text>'
    ]
    if shape == "progress":
        done, planned = [*bar.values, 0, 0][:2]
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH * planned / top:.1f}" '
            f'height="{BAR_HEIGHT}" fill="#ffffff" stroke="{COLORS[0]}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH * min(done, top) / top:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{COLORS[0]}"/>'
        )
    else:
        for index, value in enumerate(bar.values):
            out.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + index * BAR_HEIGHT}" '
                f'width="{BAR_WIDTH * value / top:.1f}" height="{BAR_HEIGHT - 2}" '
                f'fill="{COLORS[index % 4]}"/>'
            )
    out.append(
        f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{label_y:.0f}" font-size="13" '
        f'fill="{INK}">{escape(bar.text)}</text>'
    )
    return "".join(out)
