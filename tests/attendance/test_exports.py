import datetime as dt
import io

from openpyxl import load_workbook

from attendance.exports import table_csv, table_xlsx

HEADINGS = ["No.", "氏名", "ふりがな", "受付"]
ROWS = [
    [1, "山田 太郎", "やまだ たろう", dt.datetime(2021, 6, 10, 4, 25, tzinfo=dt.UTC)],
    [2, '=HYPERLINK("x")', "", None],
]


def test_csv_starts_with_a_bom_and_ends_lines_with_crlf():
    data = table_csv(HEADINGS, ROWS)

    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").split("\r\n") == [
        "No.,氏名,ふりがな,受付",
        "1,山田 太郎,やまだ たろう,2021-06-10 13:25",
        '2,"\'=HYPERLINK(""x"")",,',
        "",
    ]


def test_xlsx_keeps_japanese_and_formulas_as_text():
    data = table_xlsx(HEADINGS, ROWS, sheet_title="研修ア")

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "研修ア"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["No.", "氏名", "ふりがな", "受付"],
        [1, "山田 太郎", "やまだ たろう", "2021-06-10 13:25"],
        [2, '=HYPERLINK("x")', None, None],
    ]
    assert sheet.cell(row=3, column=2).data_type == "s"
