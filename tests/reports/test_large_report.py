"""A report of any size (issue #20): with 200 and with 1,741 planned targets every output
answers 200, the PDF's charts continue over as many pages as they need, and a long label is
printed whole."""

import io
import re

import pytest
from pypdf import PdfReader

from attendance import documents
from directory.models import PartnerOrganization
from supervision.models import Plan, Target
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LONG_NAME = "特定非営利活動法人ひきこもり支援ネットワーク協議会"


def plan_targets(count: int, fiscal_year: int = 2026) -> None:
    organizations = PartnerOrganization.objects.bulk_create(
        PartnerOrganization(name=f"{LONG_NAME}{n:04d}", kind="other") for n in range(count)
    )
    targets = Target.objects.bulk_create(
        Target(kind=Target.Kind.ORGANIZATION, organization=organization)
        for organization in organizations
    )
    Plan.objects.bulk_create(
        Plan(target=target, fiscal_year=fiscal_year, planned=1 + n % 5)
        for n, target in enumerate(targets)
    )


@pytest.mark.parametrize("count", [200, 1741])
def test_every_output_answers_at_any_size(center_staff, count):
    plan_targets(count)
    staff = client_for(center_staff)
    query = "?as_of=2026-09-30"
    for url in (
        f"/reports/2026/{query}",
        f"/reports/2026/report.txt{query}",
        f"/reports/2026/report.xlsx{query}",
        f"/reports/2026/report.pdf{query}",
        f"/api/reports/fiscal-year/2026{query}",
    ):
        assert staff.get(url).status_code == 200, url

    if not documents.FONT_PATH.is_file():
        return
    reader = PdfReader(io.BytesIO(staff.get(f"/reports/2026/report.pdf{query}").content))
    charts = [page.extract_text() for page in reader.pages if "回" in page.extract_text()]
    bars = sum(len(re.findall(r"\d+ / \d+回", text)) for text in charts)
    assert bars == count  # every target on a chart page, none lost at a page's end
    assert len(reader.pages) > count // 60
    compact = re.sub(r"\s", "", "".join(charts))
    assert f"{LONG_NAME}0000" in compact  # the label whole, not cut at 18 characters
