"""A 年度 select in 令和 wherever a year is chosen (issue #21): the dashboard's filter, a new
plan and a course offer 令和8年度, not an empty number box for a western year."""

import re

import pytest

from core.fiscal import fiscal_year_label, fiscal_year_of, today
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no <select name={name}>"
    return match.group(1)


@pytest.mark.parametrize(
    "url",
    ["/supervision/", "/supervision/plans/new/", "/training/staff/courses/new/"],
)
def test_the_year_is_chosen_from_reiwa_years(center_staff, url):
    current = fiscal_year_of(today())

    page = client_for(center_staff).get(url).content.decode()
    options = _select(page, "fiscal_year")

    assert f'<option value="{current}" selected>{fiscal_year_label(current)}</option>' in options
    assert f">{fiscal_year_label(current - 1)}</option>" in options
    assert 'type="number" name="fiscal_year"' not in page


def test_the_dashboard_reads_the_year_chosen(center_staff):
    page = client_for(center_staff).get("/supervision/?fiscal_year=2021").content.decode()

    assert '<option value="2021" selected>令和3年度</option>' in _select(page, "fiscal_year")
    assert "令和3年度" in page.split("</h1>")[0]
