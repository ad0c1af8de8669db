import datetime as dt
import io

from openpyxl import load_workbook

from core.exports import sheet_name, table_csv, table_xlsx

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


def test_every_formula_start_is_escaped_in_csv_and_quoted_in_xlsx():
    starts = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    data = table_csv(["値"], [[s] for s in starts]).decode("utf-8-sig")
    cells = [line.strip('"') for line in data.split("\r\n")[1:-1]]
    assert all(cell.startswith("'") for cell in cells), cells

    sheet = load_workbook(io.BytesIO(table_xlsx(["値"], [[s] for s in starts]))).active
    for row in range(2, 2 + len(starts)):
        cell = sheet.cell(row=row, column=1)
        assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_negative_numbers_stay_numbers():
    assert table_csv(["分"], [[-5]]).decode("utf-8-sig").split("\r\n")[1] == "-5"


def test_control_characters_a_cell_cannot_hold_are_removed():
    rows = [["山田\x0b太郎\x00", "a\x1fb\ud800"]]

    sheet = load_workbook(io.BytesIO(table_xlsx(["氏名", "所属"], rows))).active

    assert [sheet.cell(row=2, column=1).value, sheet.cell(row=2, column=2).value] == [
        "山田太郎",
        "ab",
    ]
    assert "\x0b" not in table_csv(["氏名"], rows).decode("utf-8-sig")


def test_a_cell_longer_than_excel_holds_is_cut():
    sheet = load_workbook(io.BytesIO(table_xlsx(["x"], [["あ" * 200_000]]))).active
    assert len(sheet.cell(row=2, column=1).value) == 32_767


def test_sheet_names_lose_what_excel_refuses():
    assert sheet_name("ア/イ[1]:*?\\") == "アイ1"
    assert sheet_name("'\x0b'") == "Sheet"
    assert sheet_name("あ" * 40) == "あ" * 31
    data = table_xlsx(["x"], [["y"]], sheet_title="研修/ア:[1]")
    assert load_workbook(io.BytesIO(data)).active.title == "研修ア1"
