"""What each feed shows, what it never shows, and that real clients accept it (ical_check)."""

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from feeds import services
from supervision import services as supervision
from tests.conftest import clear_feed_caches
from tests.feeds.conftest import PRIVATE, REGISTRANT_EMAIL, fetch, in_days
from tests.training.factories import EventFactory, RegistrationFactory
from training import services as training
from training.calendar import event_ics
from training.models import Event, Registration

pytestmark = pytest.mark.django_db


def events_of(body: bytes) -> list[tuple[str, str, str]]:
    """(UID, SUMMARY, STATUS) of every VEVENT, in feed order."""
    calendar = icalendar.Calendar.from_ical(body)
    return [
        (str(event["UID"]), str(event["SUMMARY"]), str(event["STATUS"]))
        for event in calendar.walk("VEVENT")
    ]


def event_named(body: bytes, uid: str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(body)
    return next(event for event in calendar.walk("VEVENT") if str(event["UID"]) == uid)


def subscription_url(kind: str, world, center_staff) -> str:
    if kind == "registrant":
        _row, raw = services.issue_registrant_subscription(email=REGISTRANT_EMAIL, label="手帳")
    else:
        target = {
            "municipality": world["municipality"],
            "district": world["municipality"].district,
            "block": world["municipality"].block,
            "staff": world["staff"],
        }[kind]
        _row, raw = services.issue_subscription(target=target, label="共有", issued_by=center_staff)
    return f"/calendar/s/{raw}.ics"


def feed_url(kind: str, world, center_staff) -> str:
    if kind == "public":
        return "/calendar/trainings.ics"
    return subscription_url(kind, world, center_staff)


FEED_KINDS = ["public", "municipality", "district", "block", "staff", "registrant"]


def test_public_feed_lists_published_trainings_only(private_world):
    EventFactory(title="下書きの研修", status=Event.Status.DRAFT)

    body = fetch("/calendar/trainings.ics")

    assert events_of(body) == [
        (
            private_world["online"].ical_uid,
            "オンライン講義『ひきこもりケースのアセスメント』",
            "CONFIRMED",
        ),
        (
            private_world["other_event"].ical_uid,
            "講義『ひきこもりに関する理解と支援』",
            "CONFIRMED",
        ),
    ]


def test_municipality_feed_lists_its_visits_its_block_meeting_and_trainings_for_it(
    private_world, center_staff
):
    EventFactory(title="民生委員向け研修", audiences=["welfare_commissioner"])
    EventFactory(title="誰でも参加できる研修", audiences=[], starts_at=in_days(40))

    body = fetch(feed_url("municipality", private_world, center_staff))

    assert events_of(body) == [
        (private_world["visit"].ical_uid, "いの町：ケース会議（支援センター訪問）", "CONFIRMED"),
        (
            private_world["cancelled_visit"].ical_uid,
            "【中止】いの町：スーパーバイズ（支援センター訪問）",
            "CANCELLED",
        ),
        (
            private_world["online"].ical_uid,
            "オンライン講義『ひきこもりケースのアセスメント』",
            "CONFIRMED",
        ),
        (private_world["meeting"].ical_uid, "中央ブロック ひきこもり支援者連絡会議", "CONFIRMED"),
        (
            private_world["other_event"].ical_uid,
            "講義『ひきこもりに関する理解と支援』",
            "CONFIRMED",
        ),
        (
            Event.objects.get(title="誰でも参加できる研修").ical_uid,
            "誰でも参加できる研修",
            "CONFIRMED",
        ),
    ]


def test_block_feed_lists_its_meetings_and_visits_in_it(private_world, center_staff):
    body = fetch(feed_url("block", private_world, center_staff))

    assert [uid for uid, _summary, _status in events_of(body)] == [
        private_world["visit"].ical_uid,
        private_world["cancelled_visit"].ical_uid,
        private_world["meeting"].ical_uid,
    ]


def test_staff_feed_lists_what_the_member_is_assigned_to(private_world, center_staff):
    body = fetch(feed_url("staff", private_world, center_staff))

    assert [uid for uid, _summary, _status in events_of(body)] == [
        private_world["visit"].ical_uid,
        private_world["online"].ical_uid,
    ]


def test_registrant_feed_tells_confirmed_from_waitlisted_and_cancelled(private_world, center_staff):
    third = RegistrationFactory(
        event=EventFactory(title="事例研究を通した研修", starts_at=in_days(50)),
        email=REGISTRANT_EMAIL.upper(),
    )
    training.cancel_registration(registration=third)

    body = fetch(feed_url("registrant", private_world, center_staff))

    assert events_of(body) == [
        (
            private_world["registration"].ical_uid,
            "オンライン講義『ひきこもりケースのアセスメント』",
            "CONFIRMED",
        ),
        (
            private_world["waiting"].ical_uid,
            "【キャンセル待ち】講義『ひきこもりに関する理解と支援』",
            "TENTATIVE",
        ),
        (third.ical_uid, "【キャンセル済み】事例研究を通した研修", "CANCELLED"),
    ]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_feed_shows_no_private_field(private_world, center_staff, kind):
    body = fetch(feed_url(kind, private_world, center_staff)).decode()
    unfolded = re.sub(r"\r\n[ \t]", "", body)

    leaks = [text for text in PRIVATE if text in unfolded]

    assert leaks == []
    assert "他人 花子" not in unfolded and "other@example.jp" not in unfolded
    assert "/training/r/" not in unfolded  # no management link


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_feed_passes_ical_check(private_world, center_staff, ical_check, kind):
    body = fetch(feed_url(kind, private_world, center_staff))

    report = ical_check(body, name=kind)

    assert "0 checks failed" in report


def test_rescheduled_event_keeps_its_uid_with_a_higher_sequence(
    private_world, ical_check, feed_clock
):
    event = private_world["other_event"]
    before = fetch("/calendar/trainings.ics")

    training.update_event(
        event=event,
        starts_at=event.starts_at + dt.timedelta(days=1),
        ends_at=event.ends_at + dt.timedelta(days=1),
    )
    feed_clock.past_the_windows()
    after = fetch("/calendar/trainings.ics")

    old, new = event_named(before, event.ical_uid), event_named(after, event.ical_uid)
    assert (int(old["SEQUENCE"]), int(new["SEQUENCE"])) == (0, 1)
    assert new["DTSTART"].dt == event.starts_at + dt.timedelta(days=1)
    assert "0 checks failed" in ical_check(after, previous=before, name="rescheduled")


def test_postponed_visit_keeps_its_uid_with_a_higher_sequence(
    private_world, center_staff, ical_check, feed_clock
):
    url = feed_url("municipality", private_world, center_staff)
    visit = private_world["visit"]
    before = fetch(url)

    supervision.postpone_visit(
        visit_id=visit.pk, new_starts_at=visit.starts_at + dt.timedelta(days=7), actor=center_staff
    )
    feed_clock.past_the_windows()
    after = fetch(url)

    assert int(event_named(after, visit.ical_uid)["SEQUENCE"]) == 1
    assert "0 checks failed" in ical_check(after, previous=before, name="postponed")


def test_cancelled_event_stays_as_cancelled(private_world, ical_check, feed_clock):
    event = private_world["online"]
    before = fetch("/calendar/trainings.ics")

    training.cancel_event(event=event)
    feed_clock.past_the_windows()
    after = fetch("/calendar/trainings.ics")

    cancelled = event_named(after, event.ical_uid)
    assert (str(cancelled["STATUS"]), str(cancelled["SUMMARY"]), int(cancelled["SEQUENCE"])) == (
        "CANCELLED",
        "【中止】オンライン講義『ひきこもりケースのアセスメント』",
        1,
    )
    assert "0 checks failed" in ical_check(after, previous=before, name="cancelled")


def test_cancelled_event_leaves_the_feed_30_days_after_it_ended(private_world):
    event = private_world["online"]
    training.cancel_event(event=event)
    long_ago = timezone.now() - dt.timedelta(days=31)
    Event.objects.filter(pk=event.pk).update(
        cancelled_at=long_ago,
        starts_at=long_ago - dt.timedelta(days=1),
        ends_at=long_ago - dt.timedelta(days=1, hours=-2),
    )

    body = fetch("/calendar/trainings.ics")

    assert [uid for uid, _s, _t in events_of(body)] == [private_world["other_event"].ical_uid]


def test_registrant_feed_follows_promotion_from_the_waitlist(
    private_world, center_staff, feed_clock
):
    url = feed_url("registrant", private_world, center_staff)
    waiting = private_world["waiting"]
    before = event_named(fetch(url), waiting.ical_uid)

    training.promote_registration(registration=waiting, by=center_staff)
    feed_clock.past_the_windows()
    after = event_named(fetch(url), waiting.ical_uid)

    assert str(before["STATUS"]) == "TENTATIVE"
    assert (str(after["STATUS"]), int(after["SEQUENCE"])) == (
        "CONFIRMED",
        int(before["SEQUENCE"]) + 1,
    )


def test_registrant_sequence_never_decreases_when_moved_back_to_the_waitlist(
    private_world, center_staff, feed_clock
):
    url = feed_url("registrant", private_world, center_staff)
    registration = private_world["registration"]
    before = int(event_named(fetch(url), registration.ical_uid)["SEQUENCE"])

    registration.save(
        update_fields=registration.change_status(Registration.Status.WAITLISTED, at=timezone.now())
    )
    feed_clock.past_the_windows()
    after = int(event_named(fetch(url), registration.ical_uid)["SEQUENCE"])

    assert after > before


def test_emailed_ics_and_registrant_feed_share_one_uid_per_person_and_event(
    private_world, center_staff
):
    registration = private_world["registration"]
    feed = fetch(feed_url("registrant", private_world, center_staff))

    emailed = Calendar.from_ical(event_ics(registration.event, registration))
    uid = str(next(iter(emailed.walk("VEVENT")))["UID"])
    same = event_named(feed, uid)

    assert (uid, int(same["SEQUENCE"])) == (
        registration.ical_uid,
        int(next(iter(emailed.walk("VEVENT")))["SEQUENCE"]),
    )


def test_registering_again_after_cancelling_keeps_one_entry_with_a_higher_sequence(
    private_world, center_staff, feed_clock
):
    url = feed_url("registrant", private_world, center_staff)
    first = private_world["registration"]
    training.cancel_registration(registration=first)
    cancelled = int(event_named(fetch(url), first.ical_uid)["SEQUENCE"])

    again = training.register_trainee(
        event=first.event,
        name=first.name,
        email=first.email,
        affiliation_type=first.affiliation_type,
        by=center_staff,
    )
    feed_clock.past_the_windows()
    body = fetch(url)

    assert again.ical_uid == first.ical_uid
    assert [uid for uid, _s, _t in events_of(body)].count(first.ical_uid) == 1
    assert int(event_named(body, first.ical_uid)["SEQUENCE"]) > cancelled


def test_feed_bytes_do_not_change_when_the_data_does_not(private_world):
    first = fetch("/calendar/trainings.ics")
    clear_feed_caches()

    second = fetch("/calendar/trainings.ics")

    assert first == second


def test_management_page_ics_tells_the_same_status_as_the_feed(private_world, center_staff):
    """The 「カレンダーに追加」 file of the management page and the person's feed agree: a
    waitlisted person gets TENTATIVE and 【キャンセル待ち】 under the same UID."""
    waiting = private_world["waiting"]
    feed = fetch(feed_url("registrant", private_world, center_staff))

    response = Client().get(f"/training/r/{waiting.management_token}/event.ics")
    [item] = Calendar.from_ical(response.content).walk("VEVENT")
    in_feed = event_named(feed, waiting.ical_uid)

    assert response.status_code == 200
    assert (str(item["UID"]), str(item["STATUS"]), str(item["SUMMARY"])) == (
        waiting.ical_uid,
        "TENTATIVE",
        "【キャンセル待ち】講義『ひきこもりに関する理解と支援』",
    )
    assert (str(in_feed["STATUS"]), str(in_feed["SUMMARY"])) == (
        str(item["STATUS"]),
        str(item["SUMMARY"]),
    )


def test_management_page_offers_no_ics_before_the_address_is_confirmed(db):
    event = EventFactory(title="未確認の研修")
    pending = RegistrationFactory(
        event=event, status=Registration.Status.PENDING, confirmed_at=None
    )
    client = Client()

    page = client.get(f"/training/r/{pending.management_token}/").content.decode()
    response = client.get(f"/training/r/{pending.management_token}/event.ics")

    assert "event.ics" not in page
    assert response.status_code == 404
