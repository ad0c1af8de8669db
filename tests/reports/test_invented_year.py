"""The demo's second year, FY2022, is invented, smaller than FY2021, and every page that shows
it says 「デモ用の架空データ」; FY2021 (the seed's) says nothing of the kind."""

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NOTICE = "デモ用の架空データ"


def _pages(client, fiscal_year: int) -> dict[str, str]:
    from supervision.models import Target

    ino = Target.objects.get(municipality__name="いの町")
    urls = {
        "report": f"/reports/{fiscal_year}/?as_of={fiscal_year}-09-30",
        "text": f"/reports/{fiscal_year}/report.txt?as_of={fiscal_year}-09-30",
        "dashboard": f"/supervision/?fiscal_year={fiscal_year}&as_of={fiscal_year}-09-30",
        "target": f"/supervision/targets/{ino.pk}/?fy={fiscal_year}",
        "liaison": f"/supervision/liaison-meetings/?fy={fiscal_year}",
        "case_meetings": f"/supervision/case-meetings/?fy={fiscal_year}",
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def test_every_page_of_the_invented_year_says_so_and_the_seed_year_does_not(center_staff, demo):
    client = client_for(center_staff)

    invented = {name: NOTICE in html for name, html in _pages(client, 2022).items()}
    seed = {name: NOTICE in html for name, html in _pages(client, 2021).items()}

    assert invented == dict.fromkeys(invented, True)
    assert seed == dict.fromkeys(seed, False)


def test_invented_year_is_marked_in_the_xlsx_and_the_api(center_staff, demo):
    client = client_for(center_staff)

    book = load_workbook(io.BytesIO(client.get("/reports/2022/report.xlsx").content))
    body = client.get("/api/reports/fiscal-year/2022?as_of=2022-09-30").json()

    assert all(NOTICE in (sheet["A3"].value or "") for sheet in book.worksheets)
    assert body["invented"] is True


def test_invented_year_is_smaller_than_the_seed_year(center_staff, demo):
    client = client_for(center_staff)

    def totals(fiscal_year: int) -> list[int]:
        body = client.get(
            f"/api/reports/fiscal-year/{fiscal_year}?as_of={fiscal_year}-09-30"
        ).json()
        return [
            body["direct_support"]["consultations"]["total"],
            body["direct_support"]["ibasho_participants"],
            body["liaison_participants_total"],
            sum(t["participants"] for t in body["trainings"]),
            sum(t["done"] for t in body["targets"]),
            body["lecturer_dispatches"],
        ]

    fy2021, fy2022 = totals(2021), totals(2022)

    assert fy2021 == [483, 36, 120, 186, 7, 2]
    assert all(later < earlier for later, earlier in zip(fy2022, fy2021, strict=True))
