"""Forms that always guide (issue #21): an empty or wrong submit of a staff form shows the error
summary (focused by static/js/site.js) whose links reach each field, with messages that say what
to enter; 実施済 is not offered on a visit that has not begun."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db

GENERIC = "このフィールドは必須です。"


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def _links(summary: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/supervision/visits/new/", {"id_target", "id_date"}),
        ("/supervision/visits/series/", {"id_target", "id_first_date"}),
        ("/supervision/plans/new/", {"id_target", "id_planned"}),
    ],
)
def test_an_empty_staff_form_shows_a_summary_linking_its_fields(center_staff, url, expected):
    # What a browser sends for an empty form: every field, empty.
    response = client_for(center_staff).post(url, {"target": "", "planned": ""})
    page = response.content.decode()
    links = _links(_summary(page))

    assert response.status_code == 422
    assert expected <= {anchor for anchor, _text in links}
    assert all(f'id="{anchor}"' in page for anchor, _text in links)
    assert GENERIC not in page
    assert all(text.endswith("してください") for _anchor, text in links), links


@pytest.mark.parametrize(
    ("action", "anchor"), [("cancel", "cancel-reason"), ("postpone", "postpone-date")]
)
def test_an_empty_visit_action_shows_a_summary_linking_its_own_field(center_staff, action, anchor):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))

    response = client_for(center_staff).post(f"/supervision/visits/{visit.pk}/{action}/", {})
    page = response.content.decode()
    links = _links(_summary(page))

    assert response.status_code == 422
    assert anchor in {a for a, _text in links}
    assert page.count(f'id="{anchor}"') == 1
    assert GENERIC not in page


def test_an_empty_undo_of_done_asks_for_the_reason(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), status="done")

    page = client_for(center_staff).post(f"/supervision/visits/{visit.pk}/reopen/", {})
    links = _links(_summary(page.content.decode()))

    assert [a for a, _t in links] == ["reopen-reason"]
    assert "理由" in links[0][1] and links[0][1].endswith("入力してください")


def test_done_is_not_offered_before_the_visit_begins(center_staff):
    future = VisitFactory(target=target("いの町"), starts_at=timezone.now() + dt.timedelta(days=3))
    past = VisitFactory(target=target("いの町"), starts_at=timezone.now() - dt.timedelta(days=1))
    client = client_for(center_staff)

    ahead = client.get(f"/supervision/visits/{future.pk}/").content.decode()
    behind = client.get(f"/supervision/visits/{past.pk}/").content.decode()

    assert 'id="complete"' not in ahead and "実施済にする" not in ahead
    assert 'id="complete"' in behind and "実施済にする" in behind
