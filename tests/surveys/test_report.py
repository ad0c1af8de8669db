"""The report's questionnaire line: with the loaded demo, FY2022 (invented) prints under each
training 「満足度：満足・やや満足 …％（回答 …名／参加 …名）」 in every output (page, text, XLSX,
PDF text layer aside, API), while FY2021 keeps it off and reads as the seed's document; a
response staff hid is left out of the line."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports.fiscal_year import build_report
from reports.sections import render_text
from surveys import services
from surveys.models import Response, Survey
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LINE = "満足度：満足・やや満足"


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_fy2022_report_prints_each_trainings_satisfaction(demo, center_staff):
    import datetime as dt

    report = build_report(fiscal_year=2022, as_of=dt.date(2023, 3, 31))
    client = client_for(center_staff)

    lines = [line.satisfaction for line in report.trainings]
    page = client.get("/reports/2022/").content.decode()
    text = client.get("/reports/2022/report.txt").content.decode()
    api = client.get("/api/reports/fiscal-year/2022").json()
    workbook = load_workbook(io.BytesIO(client.get("/reports/2022/report.xlsx").content))

    survey = Survey.objects.get(event=report.trainings[0].event)
    answers = Response.objects.filter(survey=survey).count()
    assert answers == 55
    assert lines[0].startswith(f"{LINE} ") and lines[0].endswith("（回答 55名／参加 61名）")
    assert all(lines), lines
    for line in lines:
        assert line in page and line in text
    assert [t["satisfaction"] for t in api["trainings"]] == lines
    cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert [cell.strip("　") for cell in cells if LINE in cell] == lines
    assert LINE not in render_text(build_report(fiscal_year=2021, as_of=dt.date(2021, 10, 1)))


def test_hidden_response_leaves_the_line(demo, center_staff):
    import datetime as dt

    report = build_report(fiscal_year=2022, as_of=dt.date(2023, 3, 31))
    survey = Survey.objects.get(event=report.trainings[0].event)
    before = report.trainings[0].satisfaction

    services.set_response_hidden(
        actor=center_staff, response_id=survey.responses.first().pk, hidden=True
    )

    after = build_report(fiscal_year=2022, as_of=dt.date(2023, 3, 31)).trainings[0].satisfaction
    assert "回答 55名" in before and "回答 54名" in after
