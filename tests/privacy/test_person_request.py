"""A person's request: every record of an address or a name is found (registrations, roster
entries, participant-report rows, the outbox, contacts, calendar links, visit notes), exported
as JSON and formula-safe CSV, and erased now with an audit entry of counts only; only center
staff reach the page and the endpoints; bad input is a 422 naming the field and changes
nothing."""

import csv
import io
import json

import pytest

from attendance.models import ImportedAttendee, OnlineImport, RosterEntry
from core.erased import ERASED
from core.models import AuditEntry
from feeds.models import Subscription
from feeds.services import issue_registrant_subscription
from notifications.models import Dispatch
from privacy.models import Erasure
from privacy.person import erase_person, find_records
from supervision.models import Visit
from tests.attendance.factories import RosterEntryFactory
from tests.conftest import client_for
from tests.factories import ContactFactory, municipality
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Registration
from training.services import register_trainee

pytestmark = pytest.mark.django_db

EMAIL = "Hanako.Kochi@example.jp"


@pytest.fixture
def person(center_staff):
    """高知 花子 in every kind of record, and someone else beside her."""
    event = EventFactory(capacity=None)
    registration = register_trainee(
        event=event,
        name="高知　花子",
        kana="こうち はなこ",
        email=EMAIL,
        phone="088-123-4567",
        affiliation_type="municipal",
        organization='=HYPERLINK("http://evil.example")',
        municipality_id=municipality("いの町").pk,
        source=Registration.Source.PHONE,
        by=center_staff,
    )
    other = register_trainee(
        event=event,
        name="須崎 次郎",
        email="jiro@example.jp",
        affiliation_type="municipal",
        source=Registration.Source.PHONE,
        by=center_staff,
    )
    entry = RosterEntryFactory(name="高知 花子", email=EMAIL.lower(), organization="いの町")
    online = OnlineImport.objects.create(
        event=entry.event,
        filename="zoom.csv",
        format="zoom",
        format_label="Zoom",
        encoding="utf-8",
        rows=1,
        minimum_minutes=60,
    )
    ImportedAttendee.objects.create(
        online_import=online,
        name="高知花子",
        email=EMAIL,
        minutes=90,
        lines="2",
        resolution="email",
        entry=entry,
    )
    contact = ContactFactory(name="高知 花子", email="hanako@town.example.jp")
    link, _raw = issue_registrant_subscription(email=EMAIL, label="私のカレンダー")
    visit = VisitFactory(confidential_notes="高知 花子さんの件で相談")
    return {
        "registration": registration,
        "other": other,
        "entry": entry,
        "contact": contact,
        "link": link,
        "visit": visit,
    }


def test_every_kind_of_record_is_found_by_address_or_name(person):
    by_email = find_records(email=EMAIL.upper())
    by_name = find_records(name="高知花子")

    assert set(by_email) == {
        "registrations",
        "roster_entries",
        "imported_attendees",
        "dispatches",
        "registrant_links",
        "visit_notes",
    } - {"visit_notes"}
    assert set(by_name) == {
        "registrations",
        "roster_entries",
        "imported_attendees",
        "dispatches",
        "contacts",
    }
    assert [r["id"] for r in by_email["registrations"]] == [person["registration"].pk]
    assert by_email["registrations"][0]["phone"] == "088-123-4567"
    assert find_records(name="高知 花子")["visit_notes"][0]["id"] == person["visit"].pk
    assert "次郎" not in json.dumps(by_email, ensure_ascii=False)


def test_erasing_on_request_leaves_nothing_of_the_person_and_audits_counts_only(
    person, center_staff
):
    due = Dispatch.objects.filter(recipient__iexact=EMAIL)
    due.update(state=Dispatch.State.PENDING)

    run = erase_person(email=EMAIL, name="高知 花子", by=center_staff)

    assert find_records(email=EMAIL) == {} and find_records(name="高知 花子") == {}
    registration = Registration.objects.get(pk=person["registration"].pk)
    assert (registration.name, registration.email, registration.phone) == (ERASED, "", "")
    assert registration.status == Registration.Status.CONFIRMED
    assert RosterEntry.objects.get(pk=person["entry"].pk).name == ERASED
    assert Subscription.objects.get(pk=person["link"].pk).revoked_at is not None
    assert Visit.objects.get(pk=person["visit"].pk).confidential_notes == ERASED
    assert not Dispatch.objects.filter(state=Dispatch.State.PENDING, recipient_name=ERASED).exists()
    assert Registration.objects.get(pk=person["other"].pk).name == "須崎 次郎"
    assert run.counts["registrations"] == 1 and run.counts["contacts"] == 1
    everything = json.dumps(
        list(AuditEntry.objects.values("object_repr", "changes", "data")), ensure_ascii=False
    ).lower()
    assert EMAIL.lower() not in everything and "花子" not in everything
    entry = AuditEntry.objects.get(action="privacy.erasure.requested")
    assert entry.actor == center_staff and entry.data == run.counts


def test_the_api_finds_and_erases_for_center_staff(person, center_staff):
    client = client_for(center_staff)
    expected = sum(len(rows) for rows in find_records(email=EMAIL).values())

    found = client.post("/api/privacy/search", {"email": EMAIL}, content_type="application/json")
    erased = client.post("/api/privacy/erasures", {"email": EMAIL}, content_type="application/json")
    again = client.post("/api/privacy/search", {"email": EMAIL}, content_type="application/json")

    assert found.status_code == 200 and found.json()["count"] == expected >= 5
    assert found.json()["records"]["registrations"][0]["name"] == "高知　花子"
    assert erased.status_code == 200 and erased.json()["total"] == expected
    assert again.json() == {"count": 0, "records": {}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "", "name": "  "}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "a" * 250 + "@example.jp"}, "email"),
        ({"name": "花"}, "name"),
        ({"name": "花子\x00"}, "name"),
        ({"name": "あ" * 101}, "name"),
        ({"email": EMAIL, "extra": 1}, "extra"),
    ],
)
@pytest.mark.parametrize("path", ["/api/privacy/search", "/api/privacy/erasures"])
def test_bad_input_is_a_japanese_422_naming_the_field_and_changes_nothing(
    person, center_staff, body, field, path
):
    response = client_for(center_staff).post(path, body, content_type="application/json")

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert field in [part for item in detail for part in item["loc"]]
    assert all(any("\u3040" <= c <= "\u9fff" for c in item["msg"]) for item in detail)
    assert not Erasure.objects.exists()
    assert Registration.objects.get(pk=person["registration"].pk).name == "高知　花子"


def test_only_center_staff_reach_the_page_and_the_endpoints(person, personas):
    for role, user in personas.items():
        client = client_for(user)
        page = client.get("/privacy/")
        search = client.post(
            "/api/privacy/search", {"email": EMAIL}, content_type="application/json"
        )
        erase = client.post(
            "/api/privacy/erasures", {"email": EMAIL}, content_type="application/json"
        )
        expected = 200 if role in ("center", "superuser") else 404
        assert (page.status_code, search.status_code) == (expected, expected), role
        if role not in ("center", "superuser"):
            assert erase.status_code == 404, role
    anonymous = client_for(None)
    assert (
        anonymous.post(
            "/api/privacy/search", {"email": EMAIL}, content_type="application/json"
        ).status_code
        == 401
    )
    assert anonymous.get("/privacy/").status_code == 302
    assert Registration.objects.get(pk=person["registration"].pk).name == ERASED


def test_the_page_finds_exports_and_erases(person, center_staff):
    client = client_for(center_staff)
    expected = sum(len(rows) for rows in find_records(email=EMAIL).values())

    page = client.post("/privacy/", {"email": EMAIL, "action": "search"})
    as_json = client.post("/privacy/", {"email": EMAIL, "action": "json"})
    as_csv = client.post("/privacy/", {"email": EMAIL, "action": "csv"})
    erased = client.post("/privacy/", {"email": EMAIL, "action": "erase"}, follow=True)

    text = page.content.decode()
    assert f"{expected}件見つかりました" in text and "088-123-4567" in text
    assert json.loads(as_json.content)["records"]["registrations"][0]["email"] == EMAIL.lower()
    assert as_json["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0] == ["種類", "ID", "項目", "値"]
    assert ["参加申込", str(person["registration"].pk), "phone", "088-123-4567"] in rows
    organization = next(r for r in rows if r[2] == "organization" and r[0] == "参加申込")
    assert organization[3].startswith("'=")  # core/exports: formulas stay text
    assert "件の記録を削除しました" in erased.content.decode()
    assert Registration.objects.get(pk=person["registration"].pk).name == ERASED


def test_the_page_says_what_is_wrong_in_japanese(person, center_staff):
    response = client_for(center_staff).post("/privacy/", {"email": "x@", "action": "erase"})

    assert response.status_code == 422
    assert "有効なメールアドレスを入力してください。" in response.content.decode()
    assert not Erasure.objects.exists()


def test_the_centers_profile_page_links_to_the_page(center_staff):
    page = client_for(center_staff).get("/account/center/").content.decode()

    assert '<a href="/privacy/">個人データの開示・削除（保存期間）</a>' in page
