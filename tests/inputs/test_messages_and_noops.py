"""Issue #23: messages that say the real problem (a NUL in an HTML form, an empty JSON body, a
report of a future year without ``as_of``) and writes that are not changes (a PATCH that
changes nothing leaves ``updated_at``, SEQUENCE and the audit trail alone; ``null`` for a field
without an empty value is a 422 naming it)."""

import pytest

from core.models import AuditEntry
from directory.models import Block
from tests.conftest import client_for
from tests.training.factories import EventFactory
from training.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("/account/areas/", {"action": "block", "block-name": "北\x00部"}, "block-name"),
        ("/training/staff/events/new/", {"title": "講\x00義", "kind": "lecture"}, "title"),
    ],
)
def test_a_nul_in_an_html_form_is_named_as_such(center_staff, url, data, field):
    blocks = Block.objects.count()

    response = client_for(center_staff).post(url, data)

    page = response.content.decode()
    assert response.status_code == 422
    assert "保存できない文字（U+0000）を取り除いてください。" in page
    assert "何か文字を入力してください。" not in page
    assert Block.objects.count() == blocks


@pytest.mark.parametrize("body", ["", "  \n", "{}"])
def test_an_empty_json_body_is_the_empty_object(center_staff, body):
    response = client_for(center_staff).post(
        "/api/training/events", body, content_type="application/json"
    )

    assert response.status_code == 422
    named = {tuple(item["loc"][-1:]) for item in response.json()["detail"]}
    assert ("title",) in named and ("payload",) not in named
    assert not Event.objects.exists()


@pytest.mark.parametrize("year", [2027, 2030])
def test_the_report_of_a_future_year_without_as_of_answers_200(center_staff, year):
    response = client_for(center_staff).get(f"/api/reports/fiscal-year/{year}")

    assert response.status_code == 200
    assert response.json()["as_of"] == f"{year}-04-01"


def test_a_report_date_outside_the_year_is_still_refused_naming_as_of(center_staff):
    response = client_for(center_staff).get(
        "/api/reports/fiscal-year/2027", {"as_of": "2026-12-07"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "as_of"


def _state(event):
    event.refresh_from_db()
    return (event.updated_at, event.sequence, AuditEntry.objects.count())


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"title": "講義"},
        {"title": "講義", "capacity": 30},
        {"starts_at": "2030-05-01T13:00:00+09:00"},
    ],
)
def test_a_patch_that_changes_nothing_writes_nothing(center_staff, body):
    import datetime as dt

    from core.fiscal import TOKYO

    event = EventFactory(
        title="講義", capacity=30, starts_at=dt.datetime(2030, 5, 1, 13, tzinfo=TOKYO)
    )
    before = _state(event)

    response = client_for(center_staff).patch(
        f"/api/training/events/{event.pk}/manage", body, content_type="application/json"
    )

    assert response.status_code == 200
    assert _state(event) == before


def test_a_patch_that_changes_something_still_writes_and_audits(center_staff):
    event = EventFactory(title="講義")
    before = _state(event)

    response = client_for(center_staff).patch(
        f"/api/training/events/{event.pk}/manage",
        {"title": "新しい講義"},
        content_type="application/json",
    )

    assert response.status_code == 200
    after = _state(event)
    assert after[0] > before[0] and after[2] == before[2] + 1


@pytest.mark.parametrize(
    "field", ["title", "kind", "starts_at", "ends_at", "venue", "promotion_cutoff_hours"]
)
def test_null_for_a_field_without_an_empty_value_is_refused(center_staff, field):
    event = EventFactory(title="講義")
    before = _state(event)

    response = client_for(center_staff).patch(
        f"/api/training/events/{event.pk}/manage", {field: None}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert response.json()["detail"][0]["msg"] == (
        "null は指定できません。値を変えない項目は送らないでください。"
    )
    assert _state(event) == before
