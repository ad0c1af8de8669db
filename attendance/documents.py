"""Printable PDFs of a roster: the sign-in sheet (出席簿), the certificate of attendance
(受講証明書) and the trainee's admission ticket with the check-in QR code (受講票). Pure
functions from plain values to PDF bytes; the caller reads the database.

Japanese text needs a Japanese font embedded in the PDF, or readers show empty boxes (tofu).
Sasaeru uses IPAexGothic from Debian's ``fonts-ipaexfont`` (installed by ``bin/test`` and
``.ci/run``; ``apt-get install fonts-ipaexfont`` on a server). Without it the PDFs are refused
with :class:`FontMissing` rather than printed unreadable.
"""

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from attendance.kana import gojuon_key
from core.center import current
from core.fiscal import TOKYO, format_span, wareki_long
from core.qr import qr_png

FONT_PATH = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT = "IPAexGothic"
WEEKDAYS = "月火水木金土日"


class FontMissing(RuntimeError):
    """The Japanese font is not installed; the message says how to install it."""


def japanese_font(path: Path = FONT_PATH) -> str:
    """Register IPAexGothic once and return its name; raises :class:`FontMissing`."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    if not path.is_file():
        raise FontMissing(
            f"The Japanese font {path} is missing, so PDFs cannot be printed without broken "
            "characters. Install Debian's fonts-ipaexfont (apt-get install fonts-ipaexfont)."
        )
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def _style(size: float, leading: float | None = None, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        f"ja{size}",
        fontName=japanese_font(),
        fontSize=size,
        leading=leading or size * 1.3,
        wordWrap="CJK",
        **kwargs,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def date_with_weekday(value: dt.date | dt.datetime) -> str:
    """令和3年6月10日（木）."""
    day = value.astimezone(TOKYO).date() if isinstance(value, dt.datetime) else value
    return f"{wareki_long(day)}（{WEEKDAYS[day.weekday()]}）"


def when_label(starts_at: dt.datetime, ends_at: dt.datetime | None = None) -> str:
    """令和3年6月10日（木） 13:30～16:00."""
    return format_span(starts_at, ends_at, "ja")


# --- sign-in sheet (出席簿) ---------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    name: str
    kana: str
    organization: str
    job_title: str


@dataclass(frozen=True)
class SheetHeader:
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    # The center's name (core.center), printed on every page.
    issuer: str = field(default_factory=lambda: current().name)


SHEET_COLUMNS = ("No.", "氏名", "ふりがな", "所属", "職種", "署名欄")
SHEET_WIDTHS = (11 * mm, 34 * mm, 34 * mm, 46 * mm, 24 * mm, 31 * mm)
# Without anyone's job title the 職種 column is left out and 所属 takes its width.
SHEET_COLUMNS_WITHOUT_JOB = ("No.", "氏名", "ふりがな", "所属", "署名欄")
SHEET_WIDTHS_WITHOUT_JOB = (11 * mm, 36 * mm, 36 * mm, 64 * mm, 33 * mm)
ROW_HEIGHT = 9.5 * mm
# The smallest text on the sheet: 9 pt, readable when printed (names are 10 pt).
SMALLEST_POINT_SIZE = 9


def sign_in_sheet_pdf(header: SheetHeader, rows: list[SheetRow], *, blank_rows: int = 10) -> bytes:
    """The A4 sign-in sheet: people in 五十音順 of their reading, numbered, with an empty
    signature column, then ``blank_rows`` empty numbered rows for walk-ins. Every page repeats
    the title, the date in 和暦, the venue and the column heads. The 職種 column is there when
    someone on the sheet has a job title, and left out otherwise. No text is under 9 pt."""
    table = _sheet_table(rows, blank_rows)
    draw_header = _sheet_header_drawer(header)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=42 * mm,
        bottomMargin=16 * mm,
        title=f"出席簿 {header.title}",
        author=header.issuer,
    )
    document.build([table], onFirstPage=draw_header, onLaterPages=draw_header)
    return buffer.getvalue()


def _sheet_table(rows: list[SheetRow], blank_rows: int) -> Table:
    """The sheet's table: the people in 五十音順, then the empty numbered rows."""
    cell = _style(10, 11.5)
    small = _style(SMALLEST_POINT_SIZE, 10.5)
    ordered = sorted(rows, key=lambda r: gojuon_key(r.kana, r.name))
    with_job = any(row.job_title.strip() for row in ordered)
    columns = SHEET_COLUMNS if with_job else SHEET_COLUMNS_WITHOUT_JOB
    widths = SHEET_WIDTHS if with_job else SHEET_WIDTHS_WITHOUT_JOB
    data = [list(columns)]
    for number, row in enumerate(ordered, start=1):
        cells = [
            str(number),
            Paragraph(_escape(row.name), cell),
            Paragraph(_escape(row.kana), small),
            Paragraph(_escape(row.organization), small),
        ]
        if with_job:
            cells.append(Paragraph(_escape(row.job_title), small))
        data.append([*cells, ""])
    for number in range(len(ordered) + 1, len(ordered) + blank_rows + 1):
        data.append([str(number)] + [""] * (len(columns) - 1))
    table = Table(data, colWidths=widths, rowHeights=ROW_HEIGHT, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), japanese_font(), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef0")),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _sheet_header_drawer(header: SheetHeader):
    """The function drawing the title, date, venue and page number on every page."""
    title = _style(13, 16)
    line = _style(9.5, 12)

    def draw_header(canvas, doc):
        canvas.saveState()
        width, height = A4
        top = height - 12 * mm
        canvas.setFont(japanese_font(), 15)
        canvas.drawCentredString(width / 2, top - 4 * mm, "出　席　簿")
        heading = Paragraph(_escape(header.title), title)
        _, used = heading.wrap(width - 30 * mm, 20 * mm)
        heading.drawOn(canvas, 15 * mm, top - 9 * mm - used)
        facts = Paragraph(
            _escape(f"日時：{when_label(header.starts_at, header.ends_at)}　会場：{header.venue}"),
            line,
        )
        _, facts_height = facts.wrap(width - 30 * mm, 15 * mm)
        facts.drawOn(canvas, 15 * mm, top - 10.5 * mm - used - facts_height)
        canvas.setFont(japanese_font(), SMALLEST_POINT_SIZE)
        canvas.drawRightString(width - 15 * mm, 10 * mm, f"{doc.page} ページ")
        canvas.drawString(15 * mm, 10 * mm, header.issuer)
        canvas.restoreState()

    return draw_header


# --- certificate of attendance (受講証明書) -----------------------------------------------


@dataclass(frozen=True)
class CertificateContent:
    number_label: str
    """令和3年度 第12号"""
    name: str
    organization: str
    event_title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    issued_on: dt.date
    issuer: str = field(default_factory=lambda: current().name)


def certificate_pdf(content: CertificateContent) -> bytes:
    """One A4 page certifying that the person attended the event."""
    number = _style(10.5, alignment=2)  # right
    heading = _style(26, 34, alignment=TA_CENTER, spaceBefore=18 * mm, spaceAfter=14 * mm)
    name = _style(18, 24)
    body = _style(12, 20)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=f"受講証明書 {content.number_label}",
        author=content.issuer,
    )
    details = _event_details(content, body)
    story = [
        Paragraph(_escape(content.number_label), number),
        Paragraph("受講証明書", heading),
    ]
    if content.organization:
        story.append(Paragraph(_escape(content.organization), body))
    story += [
        Paragraph(f"{_escape(content.name)}　様", name),
        HRFlowable(width="60%", thickness=0.6, color=colors.black, hAlign="LEFT"),
        Spacer(1, 12 * mm),
        Paragraph("あなたは下記の研修を受講したことを証明します。", body),
        Spacer(1, 8 * mm),
        details,
        Spacer(1, 24 * mm),
        Paragraph(wareki_long(content.issued_on), _style(12, 20, alignment=2)),
        Paragraph(_escape(content.issuer), _style(13, 22, alignment=2)),
    ]
    document.build(story)
    return buffer.getvalue()


# --- admission ticket (受講票) ---------------------------------------------------------------


@dataclass(frozen=True)
class TicketContent:
    name: str
    organization: str
    event_title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue: str
    checkin_code: str
    issuer: str = field(default_factory=lambda: current().name)


def admission_ticket_pdf(content: TicketContent) -> bytes:
    """One A4 page to print and bring: the event, the person, and the check-in QR code (with
    its text, for when it cannot be scanned)."""
    heading = _style(24, 32, alignment=TA_CENTER, spaceAfter=10 * mm)
    name = _style(18, 24)
    body = _style(12, 20)
    small = _style(10, 14, alignment=TA_CENTER)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=f"受講票 {content.event_title}",
        author=content.issuer,
    )
    details = _event_details(content, body)
    code = Image(io.BytesIO(qr_png(content.checkin_code, scale=10)), 60 * mm, 60 * mm)
    story = [Paragraph("受講票", heading)]
    if content.organization:
        story.append(Paragraph(_escape(content.organization), body))
    story += [
        Paragraph(f"{_escape(content.name)}　様", name),
        HRFlowable(width="60%", thickness=0.6, color=colors.black, hAlign="LEFT"),
        Spacer(1, 8 * mm),
        details,
        Spacer(1, 10 * mm),
        Paragraph(
            "当日、受付でこのQRコードをお見せください。", _style(12, 20, alignment=TA_CENTER)
        ),
        code,
        Paragraph(_escape(content.checkin_code), small),
        Spacer(1, 12 * mm),
        Paragraph(_escape(content.issuer), _style(12, 20, alignment=2)),
    ]
    document.build(story)
    return buffer.getvalue()


def _event_details(content: CertificateContent | TicketContent, body: ParagraphStyle) -> Table:
    """The event's 研修名, 日時 and 会場 as the certificate and the admission ticket print them."""
    details = Table(
        [
            [Paragraph("研修名", body), Paragraph(_escape(content.event_title), body)],
            [
                Paragraph("日時", body),
                Paragraph(when_label(content.starts_at, content.ends_at), body),
            ],
            [Paragraph("会場", body), Paragraph(_escape(content.venue or "—"), body)],
        ],
        colWidths=(28 * mm, 132 * mm),
    )
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return details
