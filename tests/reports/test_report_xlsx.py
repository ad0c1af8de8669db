"""The report's XLSX goes through core.exports: text never becomes a formula, sheet names are
ones Excel accepts and unique."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from reports import services
from reports.exports import report_xlsx, unique_sheet_name
from reports.fiscal_year import build_report

pytestmark = pytest.mark.django_db


def test_a_formula_typed_as_a_channel_name_stays_text(center_staff):
    channel = services.add_consultation_channel(
        name='=HYPERLINK("http://evil.example")', by=center_staff
    )
    services.record_direct_support(
        fiscal_year=2021,
        period="first_half",
        consultations={channel.pk: 3},
        ibasho_participants=0,
        social_experience_people=0,
        social_experience_workplaces=0,
        social_experience_days=0,
        by=center_staff,
    )

    book = load_workbook(
        io.BytesIO(report_xlsx(build_report(fiscal_year=2021, as_of=dt.date(2021, 9, 30))))
    )
    cells = [
        cell
        for row in book["１ 直接支援"].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]

    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells] == [
        ('=HYPERLINK("http://evil.example")', "s", True)
    ]


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()

    names = [
        unique_sheet_name(text, taken)
        for text in ["１ 直接支援/その他?", "１ 直接支援その他", "x" * 40]
    ]

    assert names == ["１ 直接支援その他", "１ 直接支援その他 (2)", "x" * 31]
