"""Every table staff download to open in Excel goes through here: CSV (UTF-8 with BOM and CRLF
line ends, which Excel needs to show Japanese instead of mojibake) and XLSX. Pure: headings and
rows of plain values in, bytes out (``csv_response``/``xlsx_response`` wrap them for a view).

- A text cell that starts like a formula (= + - @, tab, carriage return) cannot become one: the
  CSV writes it with a leading apostrophe (Excel then shows it as text), the XLSX stores it as a
  string with Excel's own "quote prefix", never as a formula (CSV/formula injection: a name
  typed as ``=HYPERLINK(...)`` on the public registration form stays text).
- Characters a spreadsheet cannot hold (control characters other than tab and line breaks,
  lone surrogates) are removed; an XLSX cell keeps at most 32,767 characters.
- Sheet names lose the characters Excel refuses (``/ \\ [ ] : * ?``), keep at most 31
  characters and are never empty.
"""

import csv
import datetime as dt
import io
import re

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.fiscal import TOKYO
from core.inputs import without_control_characters

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_MAX = 32_767
_SHEET_BAD = re.compile(r"[/\\\[\]:*?]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return without_control_characters(str(value))


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def safe_cell(value) -> str:
    """The CSV text of a cell: a formula-like start gets a leading apostrophe."""
    if _is_number(value):
        return str(value)
    text = _text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unquote_cell(text: str) -> str:
    """A cell read back from a file this module wrote: ``'=1+1`` is ``=1+1`` again (imports of
    files staff exported, edited and upload)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def table_csv(headings: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headings])
    writer.writerows([[safe_cell(value) for value in row] for row in rows])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def sheet_name(title: str, *, default: str = "Sheet") -> str:
    """A name Excel accepts for a sheet."""
    name = _SHEET_BAD.sub("", without_control_characters(title or "")).strip().strip("'")
    return name[:31] or default


def put_cell(cell, value) -> None:
    """Write ``value`` into an openpyxl cell: numbers as numbers, everything else as text that
    can never become a formula (for workbooks built sheet by sheet, e.g. the report)."""
    if _is_number(value):
        cell.value = value
    elif text := _text(value)[:XLSX_CELL_MAX]:
        cell.value = text
        cell.data_type = TYPE_STRING  # never a formula
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True


def table_xlsx(headings: list[str], rows: list[list], *, sheet_title: str = "名簿") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(sheet_title, default="名簿")
    widths = [len(_text(h)) for h in headings]
    for row_number, values in enumerate([headings, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            put_cell(cell, value)
            if column > len(widths):
                widths.append(0)
            widths[column - 1] = max(widths[column - 1], len(_text(value)))
            if row_number == 1:
                cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(2 * width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(headings: list[str], rows: list[list], *, filename: str) -> HttpResponse:
    response = HttpResponse(table_csv(headings, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    headings: list[str], rows: list[list], *, filename: str, sheet_title: str
) -> HttpResponse:
    response = HttpResponse(
        table_xlsx(headings, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
