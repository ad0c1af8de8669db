"""The complete progress read (/api/supervision/progress/export): every target in one answer,
the same as all pages of /api/supervision/progress, in as many queries as one page."""

import pytest

from tests.conftest import client_for
from tests.supervision.test_progress import bench_targets, plan

pytestmark = pytest.mark.django_db

WHEN = {"fiscal_year": 2021, "as_of": "2021-09-30"}


def test_the_export_is_every_page_in_order(center_staff):
    bench_targets(7)
    client = client_for(center_staff)
    pages = [
        client.get("/api/supervision/progress", {**WHEN, "limit": 3, "offset": offset}).json()
        for offset in (0, 3, 6)
    ]

    export = client.get("/api/supervision/progress/export", WHEN).json()

    assert export == [item for page in pages for item in page["items"]]
    assert len(export) == pages[0]["count"] == 7


@pytest.mark.parametrize("count", [3, 300])
def test_the_export_costs_the_queries_of_one_page(center_staff, django_assert_num_queries, count):
    bench_targets(count)
    client = client_for(center_staff)
    client.get("/api/supervision/progress/export", WHEN)  # warm the session

    # session, user, then the plans with names, the visit counts, the earlier last visits
    with django_assert_num_queries(5):
        response = client.get("/api/supervision/progress/export", WHEN)

    assert len(response.json()) == count


def test_the_export_is_scoped_by_role_and_filtered(personas):
    for name in ["いの町", "須崎市", "宿毛市", "幡多福祉保健所管内"]:
        plan(name, 2021, 2)

    def names(role, **filters):
        response = client_for(personas[role]).get(
            "/api/supervision/progress/export", {"fiscal_year": 2021, **filters}
        )
        return sorted(row["name"] for row in response.json())

    assert names("municipal") == ["いの町"]
    assert names("health_office") == ["宿毛市", "幡多福祉保健所管内"]
    assert names("center", kind="district") == ["幡多福祉保健所管内"]


def test_the_export_answers_404_to_the_outsider_401_anonymous_and_422_to_bad_input(
    outsider, center_staff
):
    from django.test import Client

    url = "/api/supervision/progress/export?fiscal_year=2021"

    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 401
    bad = client_for(center_staff).get("/api/supervision/progress/export?fiscal_year=1999")
    assert bad.status_code == 422 and "fiscal_year" in str(bad.json())
