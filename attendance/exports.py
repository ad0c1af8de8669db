"""Roster tables as files staff open in Excel: CSV (UTF-8 with BOM and CRLF line ends, which
Excel needs to show Japanese instead of mojibake) and XLSX. Pure: headings and rows of plain
values in, bytes out.

A cell that starts like a formula (= + - @, tab, carriage return) is written with a leading
apostrophe in the CSV, so that a name typed as ``=HYPERLINK(...)`` stays text (CSV injection).
The XLSX stores every text cell as a string, never as a formula, for the same reason.
"""

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.fiscal import TOKYO

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _safe(value) -> str:
    text = _text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(headings: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in headings])
    writer.writerows([[_safe(value) for value in row] for row in rows])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def table_xlsx(headings: list[str], rows: list[list], *, sheet_title: str = "名簿") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    widths = [len(_text(h)) for h in headings]
    for row_number, values in enumerate([headings, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            elif text := _text(value):
                cell.value = text
                cell.data_type = TYPE_STRING  # never a formula
            widths[column - 1] = max(widths[column - 1], len(_text(value)))
            if row_number == 1:
                cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(2 * width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
