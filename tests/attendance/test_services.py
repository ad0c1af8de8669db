import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from attendance import services
from attendance.models import Certificate, RosterChange, RosterEntry
from core.errors import Conflict
from core.fiscal import TOKYO
from directory.models import Contact, PartnerOrganization
from tests.attendance.factories import LectureFactory, RosterEntryFactory, TraineeFactory
from tests.factories import district, municipality
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 7, 8, 13, 20, tzinfo=TOKYO)


def test_build_roster_takes_confirmed_registrations_once(event, center_staff):
    kept = TraineeFactory(event=event, name="山田 太郎", kana="やまだ たろう")
    TraineeFactory(event=event, status=Registration.Status.WAITLISTED, waitlisted_at=NOW)
    TraineeFactory(event=event, status=Registration.Status.CANCELLED)

    first = services.build_roster(event=event, user=center_staff)
    again = services.build_roster(event=event, user=center_staff)

    entry = RosterEntry.objects.get(event=event)
    assert (first, again) == (services.BuildResult(1, 0, 0), services.BuildResult(0, 0, 0))
    assert (entry.registration, entry.name, entry.kana_key, entry.status) == (
        kept, "山田 太郎", "やまたたろう", "expected",
    )  # fmt: skip


def test_build_roster_removes_unrecorded_entries_of_cancelled_registrations(event, center_staff):
    gone = TraineeFactory(event=event)
    came = TraineeFactory(event=event)
    services.build_roster(event=event, user=center_staff)
    services.record_attendance(
        entry=came.roster_entry, status="present", user=center_staff, now=NOW
    )
    Registration.objects.filter(pk__in=[gone.pk, came.pk]).update(status="cancelled")

    result = services.build_roster(event=event, user=center_staff)

    assert result.removed == 1
    assert list(RosterEntry.objects.values_list("registration", flat=True)) == [came.pk]


def test_build_roster_invites_the_contacts_of_a_liaison_meetings_block(center_staff):
    west = municipality("須崎市").block
    meeting = LectureFactory(
        kind=Event.Kind.LIAISON_MEETING,
        title="西部ブロック ひきこもり支援者連絡会議",
        label="",
        block=west,
        co_host_district=district("幡多"),
        invited_organization_kinds=["youth_support_station"],
    )
    Contact.objects.create(
        municipality=municipality("須崎市"), department="福祉事務所", name="須崎 二郎"
    )
    Contact.objects.create(municipality=municipality("安芸市"), department="福祉課", name="安芸 他")
    Contact.objects.create(district=district("幡多"), department="健康障害課", name="幡多 五月")
    station = PartnerOrganization.objects.get(name="はた若者サポートステーション")
    Contact.objects.create(organization=station, department="相談", name="若葉 六郎")

    services.build_roster(event=meeting, user=center_staff)
    services.build_roster(event=meeting, user=center_staff)

    assert list(
        RosterEntry.objects.order_by("id").values_list("name", "affiliation_type", "organization")
    ) == [
        ("須崎 二郎", "municipal", "須崎市 福祉事務所"),
        ("幡多 五月", "health_office", "幡多福祉保健所 健康障害課"),
        ("若葉 六郎", "private_support", "はた若者サポートステーション 相談"),
    ]


def test_check_in_marks_present_with_time_and_recorder(event, center_staff):
    entry = RosterEntryFactory(event=event)

    services.record_attendance(entry=entry, status="present", user=center_staff, now=NOW)

    entry.refresh_from_db()
    assert (entry.status, entry.checked_in_at, entry.recorded_by, entry.recorded_at) == (
        "present", NOW, center_staff, NOW,
    )  # fmt: skip


def test_check_in_to_a_cancelled_event_is_refused_and_changes_nothing(event, center_staff):
    entry = RosterEntryFactory(event=event)
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    entry.refresh_from_db()

    with pytest.raises(Conflict) as caught:
        services.record_attendance(entry=entry, status="present", user=center_staff)

    entry.refresh_from_db()
    assert (caught.value.code, entry.status, entry.recorded_at) == (
        "event_cancelled",
        "expected",
        None,
    )


def test_a_status_that_does_not_exist_is_refused(event, center_staff):
    entry = RosterEntryFactory(event=event)

    with pytest.raises(ValidationError) as caught:
        services.record_attendance(entry=entry, status="asleep", user=center_staff)

    entry.refresh_from_db()
    assert caught.value.message_dict == {"status": ["「asleep」は出欠の状態ではありません。"]}
    assert entry.status == "expected"


def test_after_closing_changes_need_a_reason_and_are_logged(event, center_staff):
    entry = RosterEntryFactory(event=event)
    services.close_roster(event=event, user=center_staff, now=NOW)

    with pytest.raises(ValidationError) as caught:
        services.record_attendance(entry=entry, status="present", user=center_staff)
    services.record_attendance(
        entry=entry, status="late", user=center_staff, reason="紙の出席簿で確認", now=NOW
    )

    assert caught.value.message_dict == {
        "reason": ["出欠簿は締め切られています。変更の理由を入力してください。"]
    }
    assert list(RosterChange.objects.values_list("old_status", "new_status", "reason")) == [
        ("expected", "late", "紙の出席簿で確認")
    ]


def test_bulk_entry_from_paper_marks_many_at_once(event, center_staff):
    entries = [RosterEntryFactory(event=event) for _ in range(5)]

    changed = services.record_attendance_in_bulk(
        event=event, entry_ids=[e.id for e in entries[:3]], status="present", user=center_staff
    )

    assert changed == 3
    assert list(RosterEntry.objects.order_by("id").values_list("status", flat=True)) == [
        "present", "present", "present", "expected", "expected",
    ]  # fmt: skip


def test_bulk_entry_with_someone_of_another_event_changes_nothing(event, center_staff):
    mine = RosterEntryFactory(event=event)
    other = RosterEntryFactory(event=LectureFactory(title="別の研修"))

    with pytest.raises(ValidationError) as caught:
        services.record_attendance_in_bulk(
            event=event, entry_ids=[mine.id, other.id], status="present", user=center_staff
        )

    assert list(caught.value.message_dict) == ["entry_ids"]
    assert set(RosterEntry.objects.values_list("status", flat=True)) == {"expected"}


def test_walk_in_is_added_present(event, center_staff):
    entry = services.add_walk_in(
        event=event,
        user=center_staff,
        name="飛込 花子",
        kana="とびこみ はなこ",
        affiliation_type="welfare_commissioner",
        organization="須崎市民生委員",
        municipality=municipality("須崎市"),
        now=NOW,
    )

    assert (entry.source, entry.status, entry.checked_in_at) == ("walk_in", "present", NOW)


def test_duplicate_walk_in_is_refused(event, center_staff):
    fields = {"event": event, "user": center_staff, "affiliation_type": "other"}
    services.add_walk_in(name="飛込 花子", organization="須崎市", **fields)

    with pytest.raises(ValidationError) as caught:
        services.add_walk_in(name="飛込　花子", organization="須崎市 ", **fields)

    assert caught.value.message_dict == {"name": ["飛込　花子（同じ所属）はすでに名簿にあります。"]}
    assert RosterEntry.objects.count() == 1


ZOOM = (
    "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\n"
    "山田 太郎,taro@example.jp,2021/11/12 14:00:00,2021/11/12 15:00:00,60\n"
    "やまだ はなこ,,2021/11/12 14:00:00,2021/11/12 14:30:00,30\n"
    "やまだ はなこ,,2021/11/12 14:40:00,2021/11/12 15:50:00,70\n"
    "高知 講師,,2021/11/12 13:50:00,2021/11/12 16:00:00,130\n"
    "佐藤 一,sato@example.jp,2021/11/12 14:00:00,2021/11/12 14:20:00,20\n"
).encode()


def online_lecture():
    return LectureFactory(
        kind=Event.Kind.ONLINE_LECTURE,
        label="ウ",
        title="ひきこもりケースのアセスメント",
        starts_at=dt.datetime(2021, 11, 12, 14, 0, tzinfo=TOKYO),
        venue="オンライン（Zoom）",
    )


def test_online_import_matches_by_email_then_name_and_applies_the_minimum(center_staff):
    event = online_lecture()  # 150 minutes: the default minimum is 90
    taro = RosterEntryFactory(event=event, name="山田 太郎", email="taro@example.jp")
    hanako = RosterEntryFactory(event=event, name="山田 花子", kana="やまだ はなこ")
    sato = RosterEntryFactory(event=event, name="佐藤 一", email="sato@example.jp")

    online_import = services.import_online_attendance(
        event=event, user=center_staff, data=ZOOM, filename="participants.csv"
    )

    statuses = dict(RosterEntry.objects.values_list("name", "status"))
    minutes = dict(RosterEntry.objects.values_list("name", "attended_minutes"))
    assert (online_import.format, online_import.minimum_minutes) == ("zoom_ja", 90)
    assert statuses == {"山田 太郎": "absent", "山田 花子": "present", "佐藤 一": "absent"}
    assert minutes == {"山田 太郎": 60, "山田 花子": 100, "佐藤 一": 20}
    assert list(online_import.attendees.values_list("name", "resolution", "entry", "lines")) == [
        ("山田 太郎", "email", taro.id, "2"),
        ("やまだ はなこ", "name", hanako.id, "3,4"),
        ("高知 講師", "unmatched", None, "5"),
        ("佐藤 一", "email", sato.id, "6"),
    ]


def test_online_import_with_a_per_event_minimum(center_staff):
    event = online_lecture()
    RosterEntryFactory(event=event, name="山田 太郎", email="taro@example.jp")
    services.set_minimum_minutes(event=event, minutes=45, user=center_staff)

    services.import_online_attendance(event=event, user=center_staff, data=ZOOM, filename="z.csv")

    assert RosterEntry.objects.get().status == "present"


def test_online_import_with_impossible_times_changes_nothing(center_staff):
    event = online_lecture()
    RosterEntryFactory(event=event, name="山田 太郎", email="taro@example.jp")
    bad = ZOOM + "逆 時刻,,2021/11/12 15:00:00,2021/11/12 14:00:00,60\n".encode()

    with pytest.raises(ValidationError) as caught:
        services.import_online_attendance(event=event, user=center_staff, data=bad, filename="z")

    assert caught.value.message_dict == {
        "file": [
            "7行目: 退出時刻が参加時刻より前です（2021/11/12 15:00:00 → 2021/11/12 14:00:00）。"
        ]
    }
    assert (event.online_imports.count(), RosterEntry.objects.get().status) == (0, "expected")


def test_unmatched_participants_are_resolved_by_staff(center_staff):
    event = online_lecture()
    helper = RosterEntryFactory(event=event, name="受付 係")
    online_import = services.import_online_attendance(
        event=event, user=center_staff, data=ZOOM, filename="z.csv"
    )
    rows = {a.name: a for a in online_import.attendees.unresolved()}

    services.resolve_imported_attendee(
        actor=center_staff, attendee_id=rows["山田 太郎"].pk, action="assign", entry_id=helper.pk
    )
    services.resolve_imported_attendee(
        actor=center_staff, attendee_id=rows["やまだ はなこ"].pk, action="walk_in"
    )
    services.resolve_imported_attendee(
        actor=center_staff, attendee_id=rows["高知 講師"].pk, action="dismiss"
    )

    assert list(
        RosterEntry.objects.order_by("id").values_list(
            "name", "source", "status", "attended_minutes"
        )
    ) == [("受付 係", "walk_in", "absent", 60), ("やまだ はなこ", "walk_in", "present", 100)]
    assert list(online_import.attendees.unresolved().values_list("name", flat=True)) == ["佐藤 一"]


def test_certificates_are_numbered_per_fiscal_year_and_stable(center_staff):
    july = LectureFactory(starts_at=dt.datetime(2021, 7, 8, 13, 30, tzinfo=TOKYO))
    march = LectureFactory(starts_at=dt.datetime(2022, 3, 1, 13, 30, tzinfo=TOKYO))
    april = LectureFactory(starts_at=dt.datetime(2022, 4, 20, 13, 30, tzinfo=TOKYO))
    entries = [RosterEntryFactory(event=e, status="present") for e in (july, march, april, july)]

    certificates = [services.issue_certificate(entry=e, user=center_staff) for e in entries]
    again = services.issue_certificate(entry=entries[0], user=center_staff)

    assert [c.label for c in certificates] == [
        "令和3年度 第1号", "令和3年度 第2号", "令和4年度 第1号", "令和3年度 第3号",
    ]  # fmt: skip
    assert (again.pk, Certificate.objects.count()) == (certificates[0].pk, 4)


def test_certificate_only_for_someone_who_attended(event, center_staff):
    entry = RosterEntryFactory(event=event, status="absent")

    with pytest.raises(ValidationError):
        services.issue_certificate(entry=entry, user=center_staff)

    assert Certificate.objects.count() == 0
