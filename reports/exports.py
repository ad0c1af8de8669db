"""The report as files: an XLSX with one sheet per section (every figure a number in its own
cell, next to the line it belongs to) and an A4 PDF with the Japanese font embedded. Both are
rendered from ``reports.sections``, so they say exactly what the page and the text say.

Cells and sheet names go through ``core.exports`` (text or numbers, never formulas; no control
characters; names Excel accepts)."""

import io
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from attendance.documents import japanese_font
from core import exports
from reports.fiscal_year import FiscalYearReport
from reports.sections import case_meeting_line, closing_lines, sections, title

HEADINGS = ["区分", "内容", "項目", "数値", "単位"]
INVENTED = "※デモ用の架空データです（実際の実績ではありません）。"


def unique_sheet_name(text: str, taken: set[str]) -> str:
    """``core.exports.sheet_name``, made unique within the workbook."""
    name = exports.sheet_name(text)
    candidate, number = name, 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def _put(sheet, row: int, column: int, value, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    exports.put_cell(cell, value)
    if bold:
        cell.font = Font(bold=True)


def report_xlsx(report: FiscalYearReport) -> bytes:
    """One sheet per section (１ 直接支援 … ４ 普及啓発（その他）): a row per figure with the
    line it belongs to, and a row for each line without a figure."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for section in sections(report, links=False):
        sheet = workbook.create_sheet(unique_sheet_name(f"{section.number} {section.title}", taken))
        _put(sheet, 1, 1, title(report), bold=True)
        _put(sheet, 2, 1, section.heading, bold=True)
        row = 3
        if report.invented:
            _put(sheet, row, 1, INVENTED, bold=True)
            row += 1
        for column, heading in enumerate(HEADINGS, start=1):
            _put(sheet, row, column, heading, bold=True)
        for line in section.lines:
            if line.level == 0 and not line.figures:
                continue  # the heading is in the first column of its rows
            row += 1
            figures = line.figures or [None]
            for index, figure in enumerate(figures):
                if index:
                    row += 1
                _put(sheet, row, 1, line.heading)
                _put(sheet, row, 2, line.text.strip())
                if figure is not None:
                    _put(sheet, row, 3, figure.label)
                    _put(sheet, row, 4, figure.value)
                    _put(sheet, row, 5, figure.unit)
        for column, width in zip("ABCDE", (34, 70, 28, 10, 8), strict=True):
            sheet.column_dimensions[column].width = width
    # （参考）ケース会議, after the last section as in the text and the PDF.
    case_meetings = case_meeting_line(report, links=False)
    row += 2
    _put(sheet, row, 2, case_meetings.text.strip())
    for figure in case_meetings.figures:
        _put(sheet, row, 3, figure.label)
        _put(sheet, row, 4, figure.value)
        _put(sheet, row, 5, figure.unit)
    for line in closing_lines(report):  # 課題・対策, after the report as the document has them
        row += 1
        _put(sheet, row, 2, line.text)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CHART_COLORS = ["#2f6f6a", "#8fb8b4"]
CHART_WIDTH = 170 * mm


_BAR, _GAP, _LABEL_WIDTH, _BAR_WIDTH = 9, 5, 45 * mm, 65 * mm
# The tallest drawing: well within an A4 page's frame (257 mm), with the chart's title above.
_MAX_HEIGHT = 200 * mm


def chart_drawings(chart, font: str) -> list[Drawing]:
    """A chart for the PDF as drawings that each fit a page: a long chart (a target each bar,
    200 or 1,741 of them) continues on the next pages with the same scale and legend."""
    per_row = 1 if chart.shape == "progress" else max(1, len(chart.series))
    rows = max(1, int((_MAX_HEIGHT - 16) // (per_row * _BAR + _GAP)))
    bars = list(chart.bars)
    if len(bars) <= rows:
        return [chart_drawing(chart, font)]
    top = max((max(b.values, default=0) for b in bars), default=0) or 1
    return [
        chart_drawing(replace(chart, bars=tuple(bars[start : start + rows])), font, top=top)
        for start in range(0, len(bars), rows)
    ]


def _fitted_label(drawing: Drawing, y, per_row: int, label: str, font: str) -> None:
    """The bar's label, whole: smaller type for a long one, two lines for a very long one."""
    room = _LABEL_WIDTH - 6
    size = 7.0
    if stringWidth(label, font, size) > room:
        size = max(5.0, size * room / stringWidth(label, font, size))
    lines = [label]
    if stringWidth(label, font, size) > room:
        half = (len(label) + 1) // 2
        lines = [label[:half], label[half:]]
    middle = y + per_row * _BAR / 2 - size / 3
    for index, text in enumerate(lines):
        offset = (len(lines) - 1) * size / 2 - index * size
        drawing.add(
            String(
                _LABEL_WIDTH - 4,
                middle + offset,
                text,
                fontName=font,
                fontSize=size,
                textAnchor="end",
            )
        )


def chart_drawing(chart, font: str, top: int | None = None) -> Drawing:
    """A chart of the page (``reports.charts.Chart``) drawn for the PDF: the same bars, labels
    and numbers beside them."""
    per_row = 1 if chart.shape == "progress" else max(1, len(chart.series))
    legend = 12 if len(chart.series) > 1 else 0
    height = legend + max(1, len(chart.bars)) * (per_row * _BAR + _GAP) + 4
    drawing = Drawing(CHART_WIDTH, height)
    if top is None:
        top = max((max(b.values, default=0) for b in chart.bars), default=0) or 1
    y = height - legend
    if legend:
        _draw_legend(drawing, chart.series, y, font)
    for item in chart.bars:
        y -= per_row * _BAR
        _fitted_label(drawing, y, per_row, item.label, font)
        if chart.shape == "progress":
            _draw_progress(drawing, item, y, top)
        else:
            _draw_grouped(drawing, item, y, top, per_row)
        _draw_text(drawing, _LABEL_WIDTH + _BAR_WIDTH + 4, y, per_row, item.text, font)
        y -= _GAP
    return drawing


def _draw_legend(drawing: Drawing, series, y, font: str) -> None:
    x = _LABEL_WIDTH
    for index, name in enumerate(series):
        drawing.add(
            Rect(x, y + 2, 7, 7, fillColor=HexColor(CHART_COLORS[index % 2]), strokeWidth=0)
        )
        drawing.add(String(x + 10, y + 2, name, fontName=font, fontSize=7))
        x += 60 * mm / 2


def _draw_text(drawing: Drawing, x, y, per_row: int, text: str, font: str, anchor="start"):
    """A label or number, vertically centred on the bar row."""
    drawing.add(
        String(x, y + per_row * _BAR / 2 - 2.5, text, fontName=font, fontSize=7, textAnchor=anchor)
    )


def _draw_progress(drawing: Drawing, item, y, top) -> None:
    """The planned count as an outline, the done count filled inside it."""
    done, planned = [*item.values, 0, 0][:2]
    drawing.add(
        Rect(
            _LABEL_WIDTH,
            y,
            _BAR_WIDTH * planned / top,
            _BAR - 1,
            fillColor=HexColor("#ffffff"),
            strokeColor=HexColor(CHART_COLORS[0]),
        )
    )
    drawing.add(
        Rect(
            _LABEL_WIDTH,
            y,
            _BAR_WIDTH * min(done, top) / top,
            _BAR - 1,
            fillColor=HexColor(CHART_COLORS[0]),
            strokeWidth=0,
        )
    )


def _draw_grouped(drawing: Drawing, item, y, top, per_row: int) -> None:
    """One bar per series (this year, the year before), stacked in the row."""
    for index, value in enumerate(item.values):
        drawing.add(
            Rect(
                _LABEL_WIDTH,
                y + (per_row - 1 - index) * _BAR,
                _BAR_WIDTH * value / top,
                _BAR - 1.5,
                fillColor=HexColor(CHART_COLORS[index % 2]),
                strokeWidth=0,
            )
        )


def report_pdf(report: FiscalYearReport, charts: list | None = None) -> bytes:
    """The report on A4 pages (portrait, 20 mm margins), IPAexGothic embedded, and its charts
    (``reports.charts``) on the pages after it. Raises ``attendance.documents.FontMissing``
    when the font is not installed."""
    font = japanese_font()

    def style(size: float, indent: float = 0, space: float = 2) -> ParagraphStyle:
        return ParagraphStyle(
            f"report{size}-{indent}",
            fontName=font,
            fontSize=size,
            leading=size * 1.5,
            leftIndent=indent,
            spaceAfter=space,
            wordWrap="CJK",
        )

    heading, section_style = style(14, space=6), style(12, space=4)
    sub, item = style(10.5, indent=4 * mm), style(10, indent=8 * mm)
    story = [Paragraph(_escape(title(report)), heading)]
    if report.invented:
        story.append(Paragraph(_escape(INVENTED), section_style))
    for section in sections(report, links=False):
        story += [Spacer(1, 3 * mm), Paragraph(_escape(section.heading), section_style)]
        for line in section.lines:
            text = line.text.strip("　 ")
            story.append(Paragraph(_escape(text), sub if line.level == 0 else item))
    story += [
        Spacer(1, 3 * mm),
        Paragraph(_escape(case_meeting_line(report, links=False).text), sub),
        *(Paragraph(_escape(line.text), sub) for line in closing_lines(report)),
    ]
    if charts:
        story += [PageBreak(), Paragraph("グラフ", section_style)]
        for chart in charts:
            story.append(Paragraph(_escape(chart.title), sub))
            story += chart_drawings(chart, font)
            story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title(report),
        author=report.label,
    )
    document.build(story)
    return buffer.getvalue()
