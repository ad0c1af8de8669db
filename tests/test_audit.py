"""The one write path and its audit trail: every change to events, registrations, plans,
visits, roster entries, calendar links and API tokens — through the API, a page or the admin —
leaves an entry with the person, the time and old → new values; center staff read it on the
object's page and at /api/audit, nobody else does; the admin cannot change those objects."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from core import audit
from core.models import AuditEntry
from directory import center
from directory.models import ApiToken, Municipality
from directory.services import issue_api_token
from feeds.models import Subscription
from supervision.models import Plan
from tests.attendance.factories import LectureFactory, RosterEntryFactory
from tests.conftest import client_for
from tests.factories import municipality
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

HISTORY = "変更履歴"


def api(user, method, url, body=None):
    return getattr(client_for(user), method)(url, body, content_type="application/json")


def entries_of(obj) -> list[tuple]:
    """(action, actor, changes, reason) of each entry of ``obj``, oldest first."""
    return [
        (e.action, e.actor_label, e.changes, e.data.get("reason", ""))
        for e in audit.history(obj).order_by("at", "id")
    ]


def audit_api(user, **query):
    client = client_for(user) if user is not None else Client()
    return client.get("/api/audit", query)


def assert_recent(entry: AuditEntry, user) -> None:
    assert entry.actor == user
    assert timezone.now() - entry.at < dt.timedelta(minutes=1)


# --- events -----------------------------------------------------------------------------------


def test_event_changed_through_the_api_is_audited_and_listed(center_staff):
    event = EventFactory(capacity=30, venue="高知城ホール")

    response = api(
        center_staff, "patch", f"/api/training/events/{event.pk}/manage", {"capacity": 40}
    )
    listed = audit_api(center_staff, object_type="training.event", object_id=event.pk).json()

    assert response.status_code == 200
    assert entries_of(event) == [
        ("training.event.changed", "center", {"capacity": [30, 40]}, ""),
    ]
    assert_recent(audit.history(event).get(), center_staff)
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["action"], item["action_label"], item["actor"], item["actor_name"]) == (
        "training.event.changed", "研修・行事を変更しました", "center", "支援 花子",
    )  # fmt: skip
    assert item["changes"] == [
        {
            "field": "capacity", "label": "定員", "old": 30, "new": 40,
            "old_display": "30", "new_display": "40",
        }
    ]  # fmt: skip


def test_event_changed_through_the_page_shows_in_its_history(center_staff):
    event = EventFactory(venue="高知城ホール")
    client = client_for(center_staff)

    client.post(
        f"/training/staff/events/{event.pk}/edit/",
        {
            "title": event.title,
            "kind": event.kind,
            "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "venue": "ふくし交流プラザ",
            "capacity": "30",
            "promotion_cutoff_hours": "48",
        },
    )
    page = client.get(f"/training/staff/events/{event.pk}/").content.decode()

    [(action, actor, changes, _reason)] = entries_of(event)
    assert (action, actor) == ("training.event.changed", "center")
    assert changes["venue"] == ["高知城ホール", "ふくし交流プラザ"]
    assert changes["sequence"] == [0, 1]
    assert HISTORY in page
    assert "会場: 高知城ホール → ふくし交流プラザ" in page


def test_publish_and_cancel_record_the_status(center_staff):
    event = EventFactory(status=Event.Status.DRAFT)

    api(center_staff, "post", f"/api/training/events/{event.pk}/publish")
    client_for(center_staff).post(f"/training/staff/events/{event.pk}/cancel/")

    assert [(a, actor, c.get("status")) for a, actor, c, _r in entries_of(event)] == [
        ("training.event.published", "center", ["draft", "published"]),
        ("training.event.cancelled", "center", ["published", "cancelled"]),
    ]


# --- registrations ----------------------------------------------------------------------------


def test_public_registration_and_its_confirmation_are_audited_as_the_person(db):
    event = EventFactory()

    response = Client().post(
        f"/api/training/events/{event.pk}/registrations",
        {
            "name": "高知 花子",
            "email": "hanako@example.jp",
            "affiliation_type": "welfare_commissioner",
        },
        content_type="application/json",
    )
    registration = Registration.objects.get()

    assert response.status_code == 201
    [(action, actor, changes, _reason)] = entries_of(registration)
    assert (action, actor, changes["status"], changes["name"]) == (
        "training.registration.created", "public", [None, "pending_confirmation"], [None, "高知 花子"],
    )  # fmt: skip
    assert audit.history(registration).get().actor is None


def test_registration_cancelled_by_staff_through_the_page(center_staff):
    registration = RegistrationFactory(status=Registration.Status.CONFIRMED)
    client = client_for(center_staff)

    client.post(f"/training/staff/registrations/{registration.pk}/cancel/")
    page = client.get(f"/training/staff/events/{registration.event_id}/").content.decode()

    assert entries_of(registration) == [
        ("training.registration.cancelled", "center", {"status": ["confirmed", "cancelled"]}, ""),
    ]
    assert f"{registration.name} ({registration.event.title})：申込をキャンセルしました" in page
    assert "状態: 参加確定 → キャンセル" in page


def test_registration_cancelled_through_the_api_by_the_person_and_promotion_by_the_system(
    db,
):
    event = EventFactory(capacity=1)
    first = RegistrationFactory(event=event, status=Registration.Status.CONFIRMED)
    waiting = RegistrationFactory(
        event=event, status=Registration.Status.WAITLISTED, waitlisted_at=timezone.now()
    )

    response = Client().post(
        f"/api/training/registrations/{first.pk}/cancel",
        {"token": first.management_token},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert entries_of(first) == [
        ("training.registration.cancelled", "public", {"status": ["confirmed", "cancelled"]}, ""),
    ]
    assert entries_of(waiting) == [
        ("training.registration.promoted", "system", {"status": ["waitlisted", "confirmed"]}, ""),
    ]


# --- plans ------------------------------------------------------------------------------------


def test_plan_through_the_api_and_the_page_keeps_who_and_why(center_staff):
    ino = target("いの町")

    api(
        center_staff,
        "post",
        "/api/supervision/plans",
        {"target_id": ino.pk, "fiscal_year": 2021, "planned": 5},
    )
    client = client_for(center_staff)
    client.post(f"/supervision/targets/{ino.pk}/?fy=2021", {"planned": 3, "reason": "町の体制変更"})
    plan = Plan.objects.get(target=ino, fiscal_year=2021)
    page = client.get(f"/supervision/targets/{ino.pk}/?fy=2021").content.decode()

    assert entries_of(plan) == [
        ("supervision.plan.created", "center", {"planned": [None, 5]}, ""),
        ("supervision.plan.changed", "center", {"planned": [5, 3]}, "町の体制変更"),
    ]
    assert HISTORY in page
    assert "5 → 3" in page
    assert "町の体制変更" in page


# --- visits -----------------------------------------------------------------------------------


def test_visit_cancelled_through_the_api_and_postponed_through_the_page(center_staff):
    cancelled = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))
    moved = VisitFactory(target=target("須崎市"), starts_at=at("2021-06-11"))
    client = client_for(center_staff)

    api(center_staff, "post", f"/api/supervision/visits/{cancelled.pk}/cancel", {"reason": "台風"})
    client.post(
        f"/supervision/visits/{moved.pk}/postpone/", {"date": "2021-07-01", "time": "10:00"}
    )
    page = client.get(f"/supervision/visits/{moved.pk}/").content.decode()

    [(action, actor, changes, reason)] = entries_of(cancelled)
    assert (action, actor, reason) == ("supervision.visit.cancelled", "center", "台風")
    assert changes["status"] == ["scheduled", "cancelled"]
    [(action, actor, changes, _reason)] = entries_of(moved)
    assert (action, actor) == ("supervision.visit.postponed", "center")
    assert changes["starts_at"] == ["2021-06-11T01:00:00+00:00", "2021-07-01T01:00:00+00:00"]
    assert HISTORY in page
    assert "令和3年6月11日（金） 10:00 → 令和3年7月1日（木） 10:00" in page


def test_visit_details_revised_records_old_and_new(center_staff):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), place="いの町役場")

    api(center_staff, "patch", f"/api/supervision/visits/{visit.pk}", {"place": "すこやかセンター"})

    [(action, _actor, changes, _reason)] = entries_of(visit)
    assert action == "supervision.visit.changed"
    assert changes == {"place": ["いの町役場", "すこやかセンター"], "sequence": [0, 1]}


# --- roster entries ---------------------------------------------------------------------------


def test_attendance_through_the_api_and_the_page(center_staff):
    event = LectureFactory()
    api_entry, page_entry = RosterEntryFactory(event=event), RosterEntryFactory(event=event)
    client = client_for(center_staff)

    api(center_staff, "post", f"/api/attendance/entries/{api_entry.pk}/status", {"status": "late"})
    client.post(f"/attendance/entries/{page_entry.pk}/status/", {"status": "present"})
    page = client.get(f"/attendance/events/{event.pk}/").content.decode()

    assert entries_of(api_entry) == [
        ("attendance.rosterentry.changed", "center", {"status": ["expected", "late"]}, ""),
    ]
    assert entries_of(page_entry) == [
        ("attendance.rosterentry.changed", "center", {"status": ["expected", "present"]}, ""),
    ]
    assert HISTORY in page
    assert "状態: 未確認 → 出席" in page


# --- calendar links and API tokens ------------------------------------------------------------


def test_calendar_links_issued_and_revoked_through_the_api_and_the_page(center_staff):
    ino = municipality("いの町")

    response = api(
        center_staff,
        "post",
        "/api/feeds/subscriptions",
        {"kind": "municipality", "target_id": ino.pk, "label": "保健福祉課"},
    )
    by_api = Subscription.objects.get(pk=response.json()["id"])
    client = client_for(center_staff)
    client.post(f"/calendar/links/{by_api.pk}/revoke/")
    page = client.get("/calendar/links/").content.decode()

    [(created, actor, changes, _r), (revoked, revoker, _c, _r2)] = entries_of(by_api)
    assert (created, actor, revoked, revoker) == (
        "feeds.subscription.created", "center", "feeds.subscription.revoked", "center",
    )  # fmt: skip
    assert changes == {
        "kind": [None, "municipality"], "label": [None, "保健福祉課"], "municipality": [None, ino.pk],
    }  # fmt: skip
    assert "token_hash" not in str(AuditEntry.objects.values_list("changes", flat=True))
    assert HISTORY in page
    assert "市町村: — → いの町" in page


def test_api_tokens_issued_and_revoked_on_the_page_and_in_the_admin(center_staff, superuser):
    client = client_for(center_staff)
    client.post("/account/tokens/", {"label": "集計スクリプト"})
    token = ApiToken.objects.get(user=center_staff)
    other, _raw = issue_api_token(user=center_staff, label="古いスクリプト")

    client.post(f"/account/tokens/{token.pk}/revoke/")
    client_for(superuser).post(
        "/admin/directory/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [other.pk]},
    )
    page = client.get("/account/tokens/").content.decode()

    assert [(a, actor) for a, actor, _c, _r in entries_of(token)] == [
        ("directory.apitoken.created", "center"),
        ("directory.apitoken.revoked", "center"),
    ]
    assert entries_of(token)[0][2] == {
        "user": [None, center_staff.pk],
        "label": [None, "集計スクリプト"],
    }
    assert [(a, actor) for a, actor, _c, _r in entries_of(other)] == [
        ("directory.apitoken.created", "center"),
        ("directory.apitoken.revoked", "root"),
    ]
    assert ApiToken.objects.get(pk=other.pk).revoked_at is not None
    assert HISTORY in page
    assert "APIトークンを無効にしました" in page


# --- the directory in the admin -----------------------------------------------------------------


def test_directory_change_in_the_admin_is_audited(superuser):
    ino = municipality("いの町")
    url = f"/admin/directory/municipality/{ino.pk}/change/"
    form = {
        **{k: v for k, v in model_to_dict(ino).items() if v is not None},
        "order": ino.order + 100,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
    }

    response = client_for(superuser).post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Municipality.objects.get(pk=ino.pk).order == ino.order + 100
    assert entries_of(ino) == [
        ("directory.municipality.changed", "root", {"order": [ino.order, ino.order + 100]}, ""),
    ]


def test_contact_added_in_the_admin_inline_is_audited(superuser):
    ino = municipality("いの町")
    form = {
        **{k: v for k, v in model_to_dict(ino).items() if v is not None},
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-department": "ほけん福祉課",
        "contacts-0-name": "窓口 一郎",
        "contacts-0-email": "madoguchi@example.jp",
        "contacts-0-phone": "",
    }

    response = client_for(superuser).post(f"/admin/directory/municipality/{ino.pk}/change/", form)

    contact = ino.contacts.get(name="窓口 一郎")
    [(action, actor, changes, _reason)] = entries_of(contact)
    assert response.status_code == 302
    assert (action, actor, changes["name"], changes["municipality"]) == (
        "directory.contact.created", "root", [None, "窓口 一郎"], [None, ino.pk],
    )  # fmt: skip


# --- who may read it ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["health_office", "municipal", "outsider"])
def test_audit_api_is_404_for_anyone_but_center_staff(personas, role):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"))
    api(personas["center"], "post", f"/api/supervision/visits/{visit.pk}/cancel", {"reason": "x"})

    response = audit_api(personas[role], object_type="supervision.visit", object_id=visit.pk)

    assert response.status_code == 404


def test_audit_api_is_401_for_the_anonymous(db):
    assert audit_api(None).status_code == 401


def test_audit_api_refuses_an_unknown_object_type_and_filters(center_staff, superuser):
    first, second = (
        VisitFactory(target=target("いの町"), starts_at=at("2021-06-10")),
        VisitFactory(target=target("須崎市"), starts_at=at("2021-06-11")),
    )
    api(center_staff, "post", f"/api/supervision/visits/{first.pk}/cancel", {"reason": "台風"})
    api(superuser, "post", f"/api/supervision/visits/{second.pk}/cancel", {"reason": "台風"})

    unknown = audit_api(center_staff, object_type="auth.group")
    by_root = audit_api(center_staff, object_type="supervision.visit", actor="root").json()
    later = audit_api(center_staff, since=(timezone.now() + dt.timedelta(hours=1)).isoformat())
    page = audit_api(center_staff, limit=1, offset=1).json()
    too_many = audit_api(center_staff, limit=1000)

    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "object_type"]
    assert "不明な対象の種類" in unknown.json()["detail"][0]["msg"]
    assert [item["object_id"] for item in by_root["items"]] == [str(second.pk)]
    assert later.json() == {"items": [], "count": 0}
    assert (page["count"], [item["object_id"] for item in page["items"]]) == (2, [str(first.pk)])
    assert too_many.status_code == 422


def test_history_is_not_on_the_pages_of_other_roles(
    center_staff, municipal_staff, health_office_staff
):
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), place="いの町役場")
    api(center_staff, "patch", f"/api/supervision/visits/{visit.pk}", {"place": "すこやかセンター"})
    client_for(health_office_staff).post("/account/tokens/", {"label": "hata"})
    municipal = client_for(municipal_staff)
    health_office = client_for(health_office_staff)

    pages = {
        "visit": municipal.get(f"/supervision/visits/{visit.pk}/"),
        "target": municipal.get(f"/supervision/targets/{visit.target_id}/?fy=2021"),
        "tokens": health_office.get("/account/tokens/"),
        "links": health_office.get("/calendar/links/"),
    }

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    assert [name for name, page in pages.items() if HISTORY in page.content.decode()] == []
    assert AuditEntry.objects.filter(action="directory.apitoken.created").count() == 1


# --- the admin is read-only for what the services change ---------------------------------------


def _admin_targets():
    event = EventFactory(title="元の題名")
    registration = RegistrationFactory(event=event, name="元の名前")
    visit = VisitFactory(target=target("いの町"), starts_at=at("2021-06-10"), place="元の場所")
    plan = Plan.objects.create(target=visit.target, fiscal_year=2021, planned=5)
    entry = RosterEntryFactory(event=LectureFactory())
    return {
        "training/event": (event, {"title": "admin"}, "title"),
        "training/registration": (registration, {"name": "admin"}, "name"),
        "supervision/visit": (visit, {"place": "admin"}, "place"),
        "supervision/plan": (plan, {"planned": 1}, "planned"),
        "attendance/rosterentry": (entry, {"name": "admin"}, "name"),
    }


def test_admin_change_forms_refuse_a_post_and_change_nothing(superuser):
    targets = _admin_targets()
    token, _raw = issue_api_token(user=superuser, label="元のラベル")
    targets["directory/apitoken"] = (token, {"label": "admin"}, "label")
    client = client_for(superuser)
    before = AuditEntry.objects.count()

    answers = {
        path: (
            client.get(f"/admin/{path}/{obj.pk}/change/").status_code,
            client.post(f"/admin/{path}/{obj.pk}/change/", body).status_code,
            client.post(f"/admin/{path}/{obj.pk}/delete/", {"post": "yes"}).status_code,
            client.post(f"/admin/{path}/add/", body).status_code,
        )
        for path, (obj, body, _field) in targets.items()
    }

    assert answers == dict.fromkeys(targets, (200, 403, 403, 403))
    for obj, _body, field in targets.values():
        assert getattr(type(obj).objects.get(pk=obj.pk), field) == getattr(obj, field)
    assert AuditEntry.objects.count() == before


def test_calendar_links_are_not_in_the_admin(superuser):
    response = client_for(superuser).get("/admin/feeds/subscription/")

    assert response.status_code == 404


def test_audit_api_accepts_every_kind_with_entries(center_staff):
    center.update_profile(by=center_staff, phone="088-000-0000")

    response = audit_api(center_staff, object_type="directory.centerprofile")

    assert response.status_code == 200
    assert [item["actor"] for item in response.json()["items"]] == ["center"]
