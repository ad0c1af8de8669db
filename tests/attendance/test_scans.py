"""Check-in by QR code at the door (#25): every answer a scan gets, undo, the same scan sent
twice, several devices offline (the earliest time wins), a registration cancelled meanwhile,
the audit trail with the device, and who may use it."""

import datetime as dt
import importlib
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attendance.models import CheckInScan, RosterEntry
from core.audit import history
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, TraineeFactory
from tests.conftest import client_for
from training.models import Registration
from training.services import cancel_registration

pytestmark = pytest.mark.django_db

# Each scan is its own transaction (savepoints, the entry locked, the audit entry, the scan
# row): the same number of queries for each one more in a batch, nothing per roster size.
PER_SCAN = 17
DAY = dt.datetime(2021, 7, 8, 13, 0, tzinfo=TOKYO)


def scan(code, *, at=None, client_id=None):
    operation = {"client_id": str(client_id or uuid.uuid4()), "kind": "scan", "code": code}
    if at is not None:
        operation["at"] = at.isoformat()
    return operation


def undo(target, *, client_id=None):
    return {"client_id": str(client_id or uuid.uuid4()), "kind": "undo", "undoes": str(target)}


def send(client, event, *operations, device="phone-1"):
    response = client.post(
        f"/api/attendance/events/{event.id}/door/scans",
        {"device": device, "operations": list(operations)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["answers"]


@pytest.fixture
def door(center_staff):
    return client_for(center_staff)


@pytest.fixture
def lecture(db):
    return LectureFactory()


def entry_of(registration) -> RosterEntry:
    return RosterEntry.objects.get(registration=registration)


def test_a_confirmed_code_checks_the_person_in_like_a_tap(door, lecture):
    person = TraineeFactory(event=lecture, name="山田 太郎", kana="やまだ たろう")

    [answer] = send(door, lecture, scan(person.checkin_code, at=DAY))

    assert (answer["result"], answer["message"]) == ("checked_in", "出席にしました")
    assert (answer["name"], answer["kana"], answer["undoable"]) == (
        "山田 太郎",
        "やまだ たろう",
        True,
    )
    entry = entry_of(person)
    assert (entry.status, entry.checked_in_at) == ("present", DAY)
    assert RosterEntry.objects.filter(event=lecture).attended().count() == 1


def test_a_second_scan_says_already_checked_in_with_the_time(door, lecture):
    person = TraineeFactory(event=lecture)
    send(door, lecture, scan(person.checkin_code, at=DAY))

    [answer] = send(door, lecture, scan(person.checkin_code, at=DAY + dt.timedelta(minutes=5)))

    assert (answer["result"], answer["message"]) == ("already", "すでに受付済み（13:00）")
    assert entry_of(person).checked_in_at == DAY


@pytest.mark.parametrize(
    ("status", "result", "message"),
    [
        (Registration.Status.WAITLISTED, "waitlisted", "キャンセル待ちの方です"),
        (Registration.Status.CANCELLED, "cancelled", "取消済みの申込です"),
        (Registration.Status.PENDING, "pending", "メール確認が済んでいない申込です"),
    ],
)
def test_a_code_without_a_seat_is_refused(door, lecture, status, result, message):
    person = TraineeFactory(event=lecture, status=status, name="待機 花子")

    [answer] = send(door, lecture, scan(person.checkin_code, at=DAY))

    assert (answer["result"], answer["message"], answer["name"]) == (result, message, "待機 花子")
    assert RosterEntry.objects.filter(event=lecture).attended().count() == 0


def test_a_code_of_another_training_and_an_unknown_text(door, lecture):
    other = TraineeFactory(event=LectureFactory(title="別の研修"))

    answers = send(
        door,
        lecture,
        scan(other.checkin_code),
        scan("https://example.jp/not-ours"),
        scan(other.checkin_code[:-1] + "0"),
        scan(""),
    )

    assert [(a["result"], a["message"], a["name"]) for a in answers] == [
        ("other_event", "別の研修の受講票です", ""),
        ("unreadable", "読み取れません", ""),
        ("unreadable", "読み取れません", ""),
        ("unreadable", "読み取れません", ""),
    ]
    assert RosterEntry.objects.filter(attended_minutes__isnull=True).attended().count() == 0


def test_the_code_is_not_the_management_token_and_rotates_when_restored(lecture):
    person = TraineeFactory(event=lecture)
    first = person.checkin_code

    person.change_status(Registration.Status.CANCELLED, at=DAY)
    assert person.checkin_code == first
    person.change_status(Registration.Status.CONFIRMED, at=DAY)
    person.save()

    assert person.checkin_code != first
    assert person.management_token not in person.checkin_code
    assert list(Registration.objects.for_checkin_code(first)) == []
    assert list(Registration.objects.for_checkin_code(person.checkin_code)) == [person]


def test_undo_sets_the_person_back_once(door, lecture):
    person = TraineeFactory(event=lecture)
    checked = uuid.uuid4()
    send(door, lecture, scan(person.checkin_code, at=DAY, client_id=checked))

    first, again = send(door, lecture, undo(checked), undo(checked))

    assert (first["result"], first["message"], first["undoes"]) == (
        "undone",
        "受付を取り消しました",
        str(checked),
    )
    assert again["result"] == "nothing_to_undo"
    assert entry_of(person).status == "expected"
    [answer] = send(door, lecture, scan(person.checkin_code, at=DAY, client_id=checked))
    assert (answer["result"], answer["undoable"]) == ("checked_in", False)


def test_the_same_operation_sent_again_counts_once(door, lecture):
    person = TraineeFactory(event=lecture)
    operation = scan(person.checkin_code, at=DAY)

    first = send(door, lecture, operation)
    again = send(door, lecture, operation, device="phone-2")

    assert [a["result"] for a in first + again] == ["checked_in", "checked_in"]
    assert CheckInScan.objects.count() == 1
    assert [e.action for e in history(entry_of(person))] == ["attendance.rosterentry.changed"]


def test_two_offline_devices_keep_the_earliest_time(door, lecture):
    people = TraineeFactory.create_batch(3, event=lecture)
    late = [scan(p.checkin_code, at=DAY + dt.timedelta(minutes=9)) for p in people]
    early = [scan(p.checkin_code, at=DAY + dt.timedelta(minutes=2)) for p in people[:2]]

    send(door, lecture, *late, device="phone-1")
    answers = send(door, lecture, *early, device="phone-2")

    assert [a["result"] for a in answers] == ["already", "already"]
    times = [entry_of(p).checked_in_at for p in people]
    assert times == [DAY + dt.timedelta(minutes=m) for m in (2, 2, 9)]
    assert RosterEntry.objects.filter(event=lecture).attended().count() == 3
    moved = [e for e in history(entry_of(people[0])) if e.action.endswith("check_in_moved")]
    assert [e.data["device"] for e in moved] == ["phone-2"]


def test_a_registration_cancelled_meanwhile_is_reported_back(door, lecture):
    person = TraineeFactory(event=lecture, name="取消 次郎")
    offline = scan(person.checkin_code, at=DAY)
    cancel_registration(registration=person, now=DAY - dt.timedelta(hours=2))

    [answer] = send(door, lecture, offline)

    assert (answer["result"], answer["name"]) == ("cancelled", "取消 次郎")
    assert RosterEntry.objects.filter(event=lecture).attended().count() == 0


def test_check_in_and_undo_are_audited_with_the_device(door, lecture, center_staff):
    person = TraineeFactory(event=lecture)
    checked = uuid.uuid4()

    send(door, lecture, scan(person.checkin_code, at=DAY, client_id=checked), device="受付A")
    send(door, lecture, undo(checked), device="受付B")

    trail = [
        (e.action, e.data.get("device"), e.actor_id, e.changes["status"])
        for e in history(entry_of(person))
    ]
    assert sorted(trail) == sorted(
        [
            ("attendance.rosterentry.changed", "受付A", center_staff.id, ["expected", "present"]),
            ("attendance.rosterentry.changed", "受付B", center_staff.id, ["present", "expected"]),
        ]
    )


def test_a_clock_ahead_or_before_the_day_counts_as_now(door):
    lecture = LectureFactory(starts_at=dt.datetime.now(TOKYO) - dt.timedelta(minutes=30))
    person = TraineeFactory(event=lecture)

    send(door, lecture, scan(person.checkin_code, at=dt.datetime(2021, 1, 1, tzinfo=TOKYO)))

    checked_in_at = entry_of(person).checked_in_at
    assert dt.datetime.now(TOKYO) - checked_in_at < dt.timedelta(minutes=5)


def test_a_cancelled_event_refuses_with_the_reason(door, lecture):
    person = TraineeFactory(event=lecture)
    lecture.status = lecture.Status.CANCELLED
    lecture.save()

    [answer] = send(door, lecture, scan(person.checkin_code, at=DAY))

    assert answer["result"] == "refused"
    assert answer["message"] == "この行事は中止されたため、出欠を記録できません。"
    assert list(RosterEntry.objects.filter(registration=person)) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("center", 200), ("superuser", 200), ("health_office", 403), ("municipal", 403)],
)
def test_only_staff_who_record_attendance_may_scan(personas, lecture, role, status):
    person = TraineeFactory(event=lecture)
    client = client_for(personas[role])

    scanned = client.post(
        f"/api/attendance/events/{lecture.id}/door/scans",
        {"device": "x", "operations": [scan(person.checkin_code, at=DAY)]},
        content_type="application/json",
    )
    roster = client.get(f"/api/attendance/events/{lecture.id}/door")

    assert (scanned.status_code, roster.status_code) == (status, status)
    assert RosterEntry.objects.filter(event=lecture).attended().count() == (status == 200)


def test_outsider_and_anonymous_get_nothing(personas, lecture):
    url = f"/api/attendance/events/{lecture.id}/door"

    assert client_for(personas["outsider"]).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_bad_operations_are_422_naming_the_field(door, lecture):
    person = TraineeFactory(event=lecture)
    url = f"/api/attendance/events/{lecture.id}/door/scans"
    too_many = [scan(person.checkin_code) for _ in range(501)]

    answers = [
        door.post(url, body, content_type="application/json")
        for body in (
            {"device": "", "operations": []},
            {"device": "x", "operations": too_many},
            {"device": "x", "operations": [{"client_id": "nope", "kind": "scan"}]},
            {"device": "x", "operations": [{"client_id": str(uuid.uuid4()), "kind": "eat"}]},
        )
    ]

    assert [a.status_code for a in answers] == [422, 422, 422, 422]
    fields = [str(a.json()["detail"][0]["loc"]) for a in answers]
    assert ["device" in fields[0], "operations" in fields[1], "client_id" in fields[2]] == [
        True,
        True,
        True,
    ]
    assert "kind" in fields[3]
    assert CheckInScan.objects.count() == 0


def test_the_device_copy_holds_hashes_names_kana_and_status_only(door, lecture):
    confirmed = TraineeFactory(event=lecture, name="確定 一", kana="かくてい")
    waiting = TraineeFactory(event=lecture, name="待ち 二", status=Registration.Status.WAITLISTED)
    send(door, lecture, scan(confirmed.checkin_code, at=DAY))

    body = door.get(f"/api/attendance/events/{lecture.id}/door").json()

    people = {p["name"]: p for p in body["people"]}
    assert set(people["確定 一"]) == {
        "code_hash",
        "name",
        "kana",
        "status",
        "entry_id",
        "checked_in_at",
    }
    assert people["確定 一"]["status"] == "present"
    assert people["待ち 二"]["status"] == "waitlisted"
    assert people["確定 一"]["code_hash"] == confirmed.checkin_hash
    assert confirmed.checkin_code not in str(body) and waiting.checkin_code not in str(body)
    assert body["expires_at"].startswith("2021-07-09T00:00:00+09:00")


def test_a_batch_costs_a_bounded_number_of_queries_per_scan(door, lecture):
    people = TraineeFactory.create_batch(10, event=lecture)
    send(door, lecture, scan(people[0].checkin_code, at=DAY))

    with CaptureQueriesContext(connection) as one:
        send(door, lecture, scan(people[1].checkin_code, at=DAY))
    with CaptureQueriesContext(connection) as many:
        send(door, lecture, *[scan(p.checkin_code, at=DAY) for p in people[2:]])

    assert len(many) == len(one) + 7 * PER_SCAN


def test_the_migration_gives_every_existing_registration_its_code_hash(lecture):
    from django.apps import apps

    person = TraineeFactory(event=lecture)
    Registration.objects.filter(pk=person.pk).update(checkin_hash="")
    migration = importlib.import_module("training.migrations.0006_registration_checkin_code")

    migration.fill_checkin_hashes(apps, None)

    assert list(Registration.objects.for_checkin_code(person.checkin_code)) == [person]
