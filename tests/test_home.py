"""The staff home page: what is on in the next two weeks, within what the user may see."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fiscal import TOKYO, today
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.datetime:
    return dt.datetime.combine(today() + dt.timedelta(days=days), dt.time(13), TOKYO)


def arrange(count: int) -> None:
    for n in range(count):
        EventFactory(
            title=f"研修{n}", starts_at=in_days(3), ends_at=in_days(3) + dt.timedelta(hours=2)
        )
        VisitFactory(
            target=target("須崎市"),
            starts_at=at(in_days(5).date().isoformat()),
            confidential_notes=f"本人の氏名{n}",
        )
        VisitFactory(target=target("いの町"), starts_at=at(in_days(6).date().isoformat()))


def test_home_lists_the_next_two_weeks_for_center_staff(center_staff):
    arrange(1)
    EventFactory(
        title="ずっと先の研修", starts_at=in_days(40), ends_at=in_days(40) + dt.timedelta(hours=2)
    )

    page = client_for(center_staff).get("/").content.decode()

    assert "研修0" in page
    assert "ずっと先の研修" not in page
    assert "須崎市" in page and "いの町" in page
    assert "本人の氏名" not in page


def test_home_shows_a_municipal_user_only_their_own_visits(municipal_staff):
    arrange(1)

    response = client_for(municipal_staff).get("/")

    assert [visit.target.name for visit in response.context["visits"]] == ["いの町"]
    assert "reports/" not in response.content.decode()


def test_home_query_count_does_not_grow(center_staff, django_assert_num_queries):
    client = client_for(center_staff)
    arrange(1)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    arrange(10)

    with django_assert_num_queries(len(one.captured_queries)):
        client.get("/")
