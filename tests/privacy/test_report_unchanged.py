"""Every fiscal-year report reads the same before and after erasure: on the demo data, the
report's text, page and API for FY2021 and FY2022, at the seed's date and for the whole year,
are identical before and after the scheduled erasure (first FY2021 past its period, then
FY2022 too) and after a person's request erases a demo trainee."""

import pytest

from attendance.models import RosterEntry
from core.erased import ERASED
from privacy.person import erase_person
from privacy.scheduled import erase_expired
from tests.conftest import client_for
from tests.privacy.conftest import FY2021_PAST, FY2022_PAST
from training.models import Registration

pytestmark = pytest.mark.django_db

REPORTS = [
    "/reports/{fy}/report.txt?as_of={fy}-09-30",
    "/reports/{fy}/report.txt",
    "/api/reports/fiscal-year/{fy}?as_of={fy}-09-30",
    "/api/reports/fiscal-year/{fy}",
    "/reports/{fy}/?as_of={fy}-09-30",
    "/reports/{fy}/",
]


def _article(html: str) -> str:
    return html.split('<article class="report"', 1)[1].split("</article>", 1)[0]


def read_reports(client) -> dict[str, str]:
    answers = {}
    for fy in (2021, 2022):
        for pattern in REPORTS:
            url = pattern.format(fy=fy)
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            answers[url] = (
                _article(body) if "/report.txt" not in url and "/api/" not in url else body
            )
    return answers


def _names_left(fiscal_year: int) -> int:
    in_year = {"event__starts_at__year__in": [fiscal_year, fiscal_year + 1]}
    return (
        Registration.objects.filter(**in_year).exclude(name=ERASED).count()
        + RosterEntry.objects.filter(**in_year).exclude(name=ERASED).count()
    )


def test_every_report_reads_the_same_before_and_after_the_scheduled_erasure(center_staff, demo):
    client = client_for(center_staff)
    before = read_reports(client)
    assert "89名参加" in before["/reports/2021/report.txt?as_of=2021-09-30"]
    names_2021, names_2022 = _names_left(2021), _names_left(2022)

    first = erase_expired(now=FY2021_PAST)
    after_fy2021 = read_reports(client)
    second = erase_expired(now=FY2022_PAST)
    after_fy2022 = read_reports(client)

    assert first.counts["roster_entries"] > 0 and first.counts["visit_notes"] > 0
    assert second.counts["roster_entries"] > 0
    assert names_2021 > 0 and names_2022 > 0
    assert _names_left(2021) == 0 and _names_left(2022) == 0
    assert after_fy2021 == before
    assert after_fy2022 == before


def test_the_report_reads_the_same_after_a_person_is_erased_on_request(center_staff, demo):
    client = client_for(center_staff)
    entry = RosterEntry.objects.filter(event__starts_at__year=2021, source="walk_in").first()
    before = read_reports(client)

    run = erase_person(email=None, name=entry.name, by=center_staff)

    entry.refresh_from_db()
    assert entry.name == ERASED and run.counts["roster_entries"] >= 1
    assert read_reports(client) == before
