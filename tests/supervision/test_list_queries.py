"""Every list endpoint and page answers in the same number of queries at one row and at many."""

import datetime as dt

import pytest

from core.usecases import SYSTEM
from directory.models import Block, Municipality
from supervision import services
from supervision.models import CaseMeeting, Plan
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db

NAMES = ["いの町", "須崎市", "中土佐町", "四万十町", "宿毛市", "土佐市", "香美市", "安芸市"]


def arrange(count: int, staff) -> None:
    for index in range(count):
        name = NAMES[index % len(NAMES)]
        day = (dt.date(2021, 5, 3) + dt.timedelta(days=index)).isoformat()
        Plan.objects.get_or_create(target=target(name), fiscal_year=2021, defaults={"planned": 3})
        VisitFactory(target=target(name), starts_at=at(day), status="done").staff.add(staff)
        services.record_lecturer_dispatch(
            title=f"講座{index}",
            host="社協",
            starts_at=at(day, "18:00"),
            staff_ids=[staff.pk],
            actor=SYSTEM,
        )
        services.plan_liaison_meeting(
            block_id=Block.objects.all()[index % 3].pk,
            starts_at=at(day, "15:00"),
            venue="会場",
            staff_ids=[staff.pk],
            actor=SYSTEM,
        )
        CaseMeeting.objects.create(
            municipality=Municipality.objects.get(name=name), held_on=dt.date.fromisoformat(day)
        )


URLS = [
    "/api/supervision/targets",
    "/api/supervision/plans?fiscal_year=2021",
    "/api/supervision/case-meetings?fiscal_year=2021",
    "/api/supervision/case-meeting-goal?fiscal_year=2021",
    "/api/supervision/dispatches?fiscal_year=2021",
    "/api/supervision/liaison-cadence?fiscal_year=2021&as_of=2021-10-01",
    "/api/supervision/calendar?date=2021-05-10",
    "/supervision/calendar/?date=2021-05-10",
    "/supervision/case-meetings/?fy=2021",
    "/supervision/liaison-meetings/?fy=2021",
    "/supervision/targets/{ino}/?fy=2021",
]


@pytest.mark.parametrize("url", URLS)
def test_list_query_count_does_not_grow(center_staff, django_assert_max_num_queries, url):
    url = url.replace("{ino}", str(target("いの町").pk))
    client = client_for(center_staff)
    arrange(1, center_staff)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    arrange(24, center_staff)

    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)
