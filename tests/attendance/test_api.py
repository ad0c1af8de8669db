import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, RosterEntryFactory, TraineeFactory
from tests.conftest import client_for
from tests.factories import municipality
from training.models import Event

pytestmark = pytest.mark.django_db


def post_json(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("center", 200),
        ("superuser", 200),
        ("health_office", 403),
        ("municipal", 403),
        ("outsider", 404),
    ],
)
def test_roster_endpoint_is_for_center_staff(personas, event, role, status):
    RosterEntryFactory(event=event)

    response = client_for(personas[role]).get(f"/api/attendance/events/{event.id}/roster")

    assert response.status_code == status


def test_roster_endpoint_needs_login(event):
    response = Client().get(f"/api/attendance/events/{event.id}/roster")

    assert response.status_code == 401


def test_roster_lists_entries_in_kana_order(center_staff, event):
    RosterEntryFactory(event=event, name="渡辺 一", kana="わたなべ はじめ")
    RosterEntryFactory(event=event, name="後藤 二", kana="ごとう じ")
    RosterEntryFactory(event=event, name="加藤 三", kana="かとう さん")

    response = client_for(center_staff).get(f"/api/attendance/events/{event.id}/roster")

    assert [e["name"] for e in response.json()["entries"]] == ["加藤 三", "後藤 二", "渡辺 一"]
    assert response.json()["minimum_minutes"] == 90


def test_build_then_check_in_over_the_api(center_staff, event):
    registration = TraineeFactory(event=event, name="山田 太郎")
    client = client_for(center_staff)

    built = post_json(client, f"/api/attendance/events/{event.id}/roster/build")
    entry = RosterEntry.objects.get(registration=registration)
    checked = post_json(client, f"/api/attendance/entries/{entry.id}/status")

    assert built.json() == {"from_registrations": 1, "from_invitations": 0, "removed": 0}
    assert (checked.status_code, checked.json()["status"], checked.json()["status_label"]) == (
        200, "present", "出席",
    )  # fmt: skip
    assert checked.json()["recorded_by"] == "支援 花子"


def test_check_in_to_a_cancelled_event_is_409(center_staff, event):
    entry = RosterEntryFactory(event=event)
    Event.objects.filter(pk=event.pk).update(status="cancelled")

    response = post_json(client_for(center_staff), f"/api/attendance/entries/{entry.id}/status")

    entry.refresh_from_db()
    assert (response.status_code, response.json()["code"], entry.status) == (
        409, "event_cancelled", "expected",
    )  # fmt: skip


def test_status_that_does_not_exist_is_422_on_the_field(center_staff, event):
    entry = RosterEntryFactory(event=event)

    response = post_json(
        client_for(center_staff), f"/api/attendance/entries/{entry.id}/status", {"status": "gone"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "status"


def test_bulk_check_in_over_the_api(center_staff, event):
    ids = [RosterEntryFactory(event=event).id for _ in range(3)]

    response = post_json(
        client_for(center_staff),
        f"/api/attendance/events/{event.id}/check-in/bulk",
        {"entry_ids": ids, "status": "late"},
    )

    assert response.json() == {"changed": 3}
    assert set(RosterEntry.objects.values_list("status", flat=True)) == {"late"}


def test_walk_in_and_its_duplicate_over_the_api(center_staff, event):
    client = client_for(center_staff)
    body = {
        "name": "飛込 花子",
        "affiliation_type": "welfare_commissioner",
        "organization": "須崎市民生委員",
        "municipality_id": municipality("須崎市").id,
    }

    first = post_json(client, f"/api/attendance/events/{event.id}/walk-ins", body)
    second = post_json(client, f"/api/attendance/events/{event.id}/walk-ins", body)

    assert (first.status_code, first.json()["status"], first.json()["municipality"]) == (
        201, "present", "須崎市",
    )  # fmt: skip
    assert second.status_code == 422
    assert second.json()["detail"][0]["loc"][-1] == "name"
    assert RosterEntry.objects.count() == 1


ZOOM = (
    "\ufeff名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\r\n"
    "山田 太郎,taro@example.jp,2021/11/12 14:00:00,2021/11/12 16:00:00,120\r\n"
    "知らない 人,,2021/11/12 14:00:00,2021/11/12 16:00:00,120\r\n"
).encode()


def test_online_import_over_the_api_lists_unmatched_rows(center_staff):
    event = LectureFactory(
        kind="online_lecture", starts_at=dt.datetime(2021, 11, 12, 14, tzinfo=TOKYO)
    )
    entry = RosterEntryFactory(event=event, name="山田 太郎", email="taro@example.jp")
    client = client_for(center_staff)

    response = client.post(
        f"/api/attendance/events/{event.id}/imports",
        {"file": SimpleUploadedFile("participants.csv", ZOOM, content_type="text/csv")},
    )
    unmatched = response.json()["unmatched"][0]
    resolved = post_json(
        client, f"/api/attendance/imported/{unmatched['id']}/resolve", {"action": "walk_in"}
    )

    assert response.status_code == 201
    assert (response.json()["format"], response.json()["format_label"]) == (
        "zoom_ja", "Zoom 参加者レポート（日本語）",
    )  # fmt: skip
    assert (response.json()["encoding"], response.json()["matched"]) == ("UTF-8 (BOM)", 1)
    assert (unmatched["name"], unmatched["lines"]) == ("知らない 人", "3")
    assert resolved.json()["resolution"] == "walk_in"
    assert list(RosterEntry.objects.order_by("id").values_list("name", "status")) == [
        (entry.name, "present"), ("知らない 人", "present"),
    ]  # fmt: skip


def test_online_import_with_unknown_columns_is_422_and_changes_nothing(center_staff, online_event):
    RosterEntryFactory(event=online_event, name="山田 太郎", email="taro@example.jp")

    response = client_for(center_staff).post(
        f"/api/attendance/events/{online_event.id}/imports",
        {"file": SimpleUploadedFile("x.csv", "氏名,好きな色\n山田,青\n".encode())},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "file"],
            "msg": "1行目: 不明な列があります: 「氏名」、「好きな色」。"
            "Zoom または Webex の参加者レポートを指定してください。",
            "type": "invalid",
        }
    ]
    assert RosterEntry.objects.get().status == "expected"


def test_counts_are_scoped_for_municipal_staff(personas, event):
    for name in ["いの町", "いの町", "須崎市"]:
        RosterEntryFactory(event=event, municipality=municipality(name), status="present")
    RosterEntryFactory(event=event, municipality=municipality("いの町"), status="absent")

    center = client_for(personas["center"]).get(f"/api/attendance/events/{event.id}/counts")
    ino = client_for(personas["municipal"]).get(f"/api/attendance/events/{event.id}/counts")

    assert center.json()["attended"] == 3
    assert [(b["label"], b["count"]) for b in center.json()["by_municipality"]] == [
        ("須崎市", 1), ("いの町", 2),
    ]  # fmt: skip
    assert [(b["label"], b["count"]) for b in center.json()["by_block"]] == [
        ("西部", 1), ("中央", 2), ("東部", 0),
    ]  # fmt: skip
    assert ino.json()["attended"] == 2
    assert [(b["label"], b["count"]) for b in ino.json()["by_municipality"]] == [("いの町", 2)]
    assert [(b["label"], b["count"]) for b in ino.json()["by_block"]] == [("中央", 2)]
    assert "name" not in str(ino.json())


def test_fiscal_year_counts_across_events(center_staff):
    first = LectureFactory()
    second = LectureFactory(
        kind="liaison_meeting", starts_at=dt.datetime(2022, 2, 1, 10, tzinfo=TOKYO)
    )
    next_year = LectureFactory(starts_at=dt.datetime(2022, 4, 10, 10, tzinfo=TOKYO))
    for event, count in [(first, 2), (second, 3), (next_year, 5)]:
        for _ in range(count):
            RosterEntryFactory(event=event, status="present")

    response = client_for(center_staff).get("/api/attendance/counts?fiscal_year=2021")

    body = response.json()
    assert [(e["event_id"], e["attended"]) for e in body["events"]] == [
        (first.id, 2),
        (second.id, 3),
    ]
    assert [(b["key"], b["count"]) for b in body["by_kind"]] == [
        ("lecture", 2),
        ("liaison_meeting", 3),
    ]
    assert body["totals"]["attended"] == 5


def test_certificate_over_the_api(center_staff, event):
    entry = RosterEntryFactory(event=event, status="present")

    response = post_json(
        client_for(center_staff), f"/api/attendance/entries/{entry.id}/certificate"
    )

    assert response.json() == {
        "id": entry.certificate.id,
        "label": "令和3年度 第1号",
        "fiscal_year": 2021,
        "number": 1,
        "pdf_url": f"/attendance/entries/{entry.id}/certificate.pdf",
    }


@pytest.mark.parametrize("url", ["/events/{event}/roster", "/events/{event}/counts", "/counts"])
def test_endpoints_query_count_is_the_same_at_1_and_200_attendees(center_staff, url):
    client = client_for(center_staff)
    counted = []
    for size in (1, 200):
        event = LectureFactory(title=f"研修{size}")
        RosterEntry.objects.bulk_create(
            [
                RosterEntry(
                    event=event, source="walk_in", name=f"人{n}", kana=f"ひと{n}",
                    affiliation_type="other", municipality=municipality("いの町"),
                    status="present", person_key=f"{size}-{n}", recorded_by=center_staff,
                )
                for n in range(size)
            ]
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/attendance" + url.format(event=event.id))
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]
