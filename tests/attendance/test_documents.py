import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from attendance import documents
from attendance.documents import (
    CertificateContent,
    FontMissing,
    SheetHeader,
    SheetRow,
    certificate_pdf,
    sign_in_sheet_pdf,
)
from core.fiscal import TOKYO

pytestmark = pytest.mark.skipif(
    not documents.FONT_PATH.is_file(), reason="fonts-ipaexfont is not installed"
)

HEADER = SheetHeader(
    title="ひきこもりケースのアセスメント",
    starts_at=dt.datetime(2021, 6, 10, 13, 30, tzinfo=TOKYO),
    ends_at=dt.datetime(2021, 6, 10, 16, 0, tzinfo=TOKYO),
    venue="高知県立ふくし交流プラザ",
    issuer="テスト県ひきこもり地域支援センター",
)


def page_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines, blanks (also ideographic ones) collapsed to one space."""
    return [
        [" ".join(line.split()) for line in page.extract_text().splitlines() if line.strip()]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_sign_in_sheet_lists_people_in_kana_order_with_the_header():
    rows = [
        SheetRow("渡辺 一", "わたなべ はじめ", "いの町", "保健師"),
        SheetRow("加藤 二", "かとう つぐ", "須崎市社会福祉協議会", "社会福祉士"),
        SheetRow("安部 三", "あべ さぶ", "高知市", "事務"),
        SheetRow("後藤 四", "ごとう よん", "民生委員", ""),
    ]

    pdf = sign_in_sheet_pdf(HEADER, rows, blank_rows=3)

    (page,) = PdfReader(io.BytesIO(pdf)).pages
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    assert page_lines(pdf) == [
        [
            "出 席 簿",
            "ひきこもりケースのアセスメント",
            "日時：令和3年6月10日（木） 13:30～16:00 会場：高知県立ふくし交流プラザ",
            "1 ページ",
            "テスト県ひきこもり地域支援センター",
            "No.", "氏名", "ふりがな", "所属", "職種", "署名欄",
            "1", "安部 三", "あべ さぶ", "高知市", "事務",
            "2", "加藤 二", "かとう つぐ", "須崎市社会福祉協議会", "社会福祉士",
            "3", "後藤 四", "ごとう よん", "民生委員",
            "4", "渡辺 一", "わたなべ はじめ", "いの町", "保健師",
            "5", "6", "7",
        ]
    ]  # fmt: skip


def test_sign_in_sheet_continues_on_more_pages_with_the_header_repeated():
    rows = [SheetRow(f"受講者{n:03d}", f"じゅこうしゃ{n:03d}", "所属", "職種") for n in range(60)]

    pages = page_lines(sign_in_sheet_pdf(HEADER, rows, blank_rows=0))

    assert [page[:2] + page[5:11] for page in pages] == [
        [
            "出 席 簿",
            "ひきこもりケースのアセスメント",
            "No.",
            "氏名",
            "ふりがな",
            "所属",
            "職種",
            "署名欄",
        ]
    ] * 3
    assert [page[3] for page in pages] == ["1 ページ", "2 ページ", "3 ページ"]
    assert {page[4] for page in pages} == {"テスト県ひきこもり地域支援センター"}
    assert [line for page in pages for line in page if line.startswith("受講者")] == [
        f"受講者{n:03d}" for n in range(60)
    ]


def test_certificate_shows_number_name_event_and_issuer():
    content = CertificateContent(
        number_label="令和3年度 第12号",
        name="山田 太郎",
        organization="いの町 ほけん福祉課",
        event_title="ひきこもりに関する理解と支援",
        starts_at=dt.datetime(2021, 7, 8, 13, 30, tzinfo=TOKYO),
        ends_at=dt.datetime(2021, 7, 8, 16, 0, tzinfo=TOKYO),
        venue="高知城ホール",
        issued_on=dt.date(2021, 7, 20),
    )

    assert page_lines(certificate_pdf(content)) == [
        [
            "令和3年度 第12号",
            "受講証明書",
            "いの町 ほけん福祉課",
            "山田 太郎 様",
            "あなたは下記の研修を受講したことを証明します。",
            "研修名", "ひきこもりに関する理解と支援",
            "日時", "令和3年7月8日（木） 13:30～16:00",
            "会場", "高知城ホール",
            "令和3年7月20日",
            "高知県ひきこもり地域支援センター",
        ]
    ]  # fmt: skip


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(documents.pdfmetrics, "getRegisteredFontNames", lambda: [])

    with pytest.raises(FontMissing, match="fonts-ipaexfont"):
        documents.japanese_font(Path("/nonexistent/ipaexg.ttf"))


def test_sign_in_sheet_leaves_out_the_job_column_when_nobody_has_a_job_title():
    rows = [
        SheetRow("渡辺 一", "わたなべ はじめ", "いの町", ""),
        SheetRow("加藤 二", "かとう つぐ", "", ""),
    ]

    [page] = page_lines(sign_in_sheet_pdf(HEADER, rows, blank_rows=1))

    assert page[page.index("No.") :] == [
        "No.", "氏名", "ふりがな", "所属", "署名欄",
        "1", "加藤 二", "かとう つぐ",
        "2", "渡辺 一", "わたなべ はじめ", "いの町",
        "3",
    ]  # fmt: skip


def test_sign_in_sheet_has_no_text_under_nine_points():
    rows = [SheetRow(f"受講者{n:03d}", f"じゅこうしゃ{n:03d}", "所属", "職種") for n in range(30)]
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(round(font_size * abs(tm[3]) * abs(cm[3]), 2))

    for page in PdfReader(io.BytesIO(sign_in_sheet_pdf(HEADER, rows))).pages:
        page.extract_text(visitor_text=visit)

    assert sizes
    assert min(sizes) >= 9
