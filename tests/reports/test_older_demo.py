"""An existing demo database gets the report's new wording by running ``load_demo`` again
(issue #20; docs/operations.md): lecturers an older demo wrote without an honorific or print
style, ウ on the date an older demo gave it, and notes an older demo keyed elsewhere are brought
to what a fresh load writes; what staff changed stays, and no row is added or lost."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from core.fiscal import TOKYO
from reports.models import ReportSettings
from tests.conftest import client_for
from tests.reports.test_seed_report import HEADINGS, SEED_LINES, in_order
from training.models import Event, Lecturer, Registration

pytestmark = pytest.mark.django_db

OLDER_NOTES = {
    "direct_support": "※R3.8月下旬～9月上旬までコロナ感染拡大防止のため来所面談および青年期の集いを延期。",
    "regional_support": "連絡会議：3ブロックに分かれ、関係機関の事業・活動報告や意見交換を実施。",
    "awareness": "つながるfesta 目的：ひきこもり当事者、経験者、その家族、支援者等を対象とした普及啓発",
}


def make_it_older():
    """The FY2021 demo as an older load_demo wrote it."""
    Lecturer.objects.filter(name="近藤 直司").update(honorific="", print_style="affiliation")
    older = dt.datetime(2021, 11, 11, 14, tzinfo=TOKYO)
    Event.objects.filter(label="ウ", course__fiscal_year=2021).update(
        starts_at=older,
        ends_at=older + dt.timedelta(hours=2),
        registration_opens_at=dt.datetime(2021, 10, 1, 9, tzinfo=TOKYO),
    )
    ReportSettings.objects.filter(fiscal_year=2021).update(notes=OLDER_NOTES)


def report_lines(staff) -> list[str]:
    text = staff.get("/reports/2021/report.txt").content.decode()
    return [line.strip("　 ") for line in text.splitlines()]


def test_load_demo_again_brings_an_older_demo_to_the_seeds_wording(demo, center_staff):
    make_it_older()
    staff = client_for(center_staff)
    before = report_lines(staff)
    assert "講師：近藤　直司教授（大正大学心理社会学部臨床心理学科）" not in before
    counts = (Event.objects.count(), Lecturer.objects.count(), Registration.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    lines = report_lines(staff)
    assert in_order(lines, HEADINGS) == HEADINGS
    assert in_order(lines, SEED_LINES) == SEED_LINES
    notes = ReportSettings.objects.get(fiscal_year=2021).notes
    assert set(notes) == {
        "direct_support",
        "liaison",
        "partner_support",
        "awareness_events",
        "issues",
    }
    assert (Event.objects.count(), Lecturer.objects.count(), Registration.objects.count()) == counts


def test_what_staff_changed_stays(demo, center_staff):
    Lecturer.objects.filter(name="近藤 直司").update(print_style="position")
    moved = dt.datetime(2021, 9, 30, 14, tzinfo=TOKYO)
    Event.objects.filter(label="ウ", course__fiscal_year=2021).update(
        starts_at=moved, ends_at=moved + dt.timedelta(hours=2)
    )
    ReportSettings.objects.filter(fiscal_year=2021).update(notes={"issues": "センターの記述"})

    call_command("load_demo", stdout=io.StringIO())

    assert Lecturer.objects.get(name="近藤 直司").print_style == "position"
    assert Event.objects.get(label="ウ", course__fiscal_year=2021).starts_at == moved
    assert ReportSettings.objects.get(fiscal_year=2021).notes == {"issues": "センターの記述"}
