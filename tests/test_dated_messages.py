"""One date language in the messages a page flashes (issue #21): every flash message that
names a date (a postponement, a holiday, a weekend, the year-end break, a double booking) reads
in 和暦, never 2021-11-23."""

import re

import pytest
from django.contrib.messages import get_messages

from supervision.models import Visit
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _schedule(client, staff, day: str, time: str = "13:30"):
    return client.post(
        "/supervision/visits/new/",
        {
            "target": target("須崎市").pk,
            "kind": "case_meeting",
            "date": day,
            "time": time,
            "minutes": 120,
            "staff": [staff.pk],
        },
    )


def test_every_dated_flash_message_reads_in_wareki(center_staff):
    client = client_for(center_staff)
    busy = VisitFactory(target=target("いの町"), starts_at=at("2021-11-20", "13:30"))
    busy.staff.add(center_staff)
    messages = []
    # A holiday, a weekend day with a double booking, the year-end break.
    for day in ("2021-11-23", "2021-11-20", "2021-12-29"):
        messages += _flashed(_schedule(client, center_staff, day))
    visit = Visit.objects.order_by("pk").last()
    messages += _flashed(
        client.post(
            f"/supervision/visits/{visit.pk}/postpone/",
            {"date": "2022-01-11", "time": "10:00", "reason": "先方都合"},
        )
    )

    assert len(messages) >= 6, messages
    assert [m for m in messages if ISO_DATE.search(m)] == []
    assert "令和3年11月23日（火） は祝日（勤労感謝の日）です。" in messages
    assert any("令和3年11月20日（土） 13:30" in m for m in messages), messages
    assert any("年末年始" in m and "令和3年12月29日（水）" in m for m in messages), messages
    assert "訪問を 令和4年1月11日（火） 10:00 に延期しました。" in messages
