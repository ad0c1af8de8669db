"""The scheduled erasure (privacy.scheduled): past each period the personal fields go and the
counted ones stay; the constraints hold with erased values; the audit trail keeps its entries
without the personal text and gets one entry with counts only; running twice, or again after a
crash, is harmless; ``manage.py erase_expired --dry-run`` prints counts in Japanese."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from attendance.models import RosterEntry
from attendance.services import add_walk_in
from config.jobs import JOBS
from core.erased import ERASED
from core.models import AuditEntry
from notifications.models import Dispatch
from privacy import erase
from privacy.models import Erasure
from privacy.scheduled import count_due, erase_expired
from supervision.models import Visit
from tests.conftest import client_for
from tests.factories import municipality
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Registration
from training.services import register_trainee

pytestmark = pytest.mark.django_db

PERSONAL = ("name", "kana", "email", "phone", "organization", "job_title")


@pytest.fixture
def past_event(center_staff):
    """An event with two staff-entered registrations, two walk-ins of the same organization
    (their keys differ only by name) and the emails those made."""
    event = EventFactory(capacity=None)
    for number in (1, 2):
        register_trainee(
            event=event,
            name=f"高知 {number}郎",
            kana="こうち",
            email=f"taro{number}@example.jp",
            phone="088-111-2222",
            affiliation_type="municipal",
            organization="いの町 ほけん福祉課",
            municipality_id=municipality("いの町").pk,
            job_title="保健師",
            source=Registration.Source.PHONE,
            by=center_staff,
        )
    return event


def later(event, years: int) -> dt.datetime:
    return event.starts_at + dt.timedelta(days=365 * years + 200)


def walk_ins(event, user, now):
    for name in ("来場 花子", "来場 雪子"):
        add_walk_in(
            event=event,
            user=user,
            name=name,
            affiliation_type="municipal",
            organization="須崎市",
            municipality=municipality("須崎市"),
            email=f"{name[-2:]}@example.jp".replace("花子", "hanako").replace("雪子", "yukiko"),
            now=now,
        )


def test_the_job_is_scheduled_with_the_others():
    assert [job.func for job in JOBS if job.func.startswith("privacy.")] == [
        "privacy.tasks.erase_expired_data"
    ]


def test_nothing_is_erased_before_the_period_ends(past_event):
    assert erase_expired(now=later(past_event, 1)) is None
    assert not Registration.objects.filter(name=ERASED).exists()
    assert not Erasure.objects.exists()


def test_past_the_period_personal_fields_go_and_counted_fields_stay(past_event, center_staff):
    walk_ins(past_event, center_staff, past_event.ends_at)
    kept = list(
        Registration.objects.values_list("pk", "status", "affiliation_type", "municipality_id")
    )
    statuses = list(RosterEntry.objects.values_list("pk", "status", "municipality_id"))

    run = erase_expired(now=later(past_event, 7))

    assert run.counts["registrations"] == 2 and run.counts["roster_entries"] == 2
    for registration in Registration.objects.all():
        assert [getattr(registration, f) for f in PERSONAL] == [ERASED, "", "", "", "", ""]
    assert set(RosterEntry.objects.values_list("name", "email", "organization")) == {
        (ERASED, "", "")
    }
    assert (
        list(
            Registration.objects.values_list("pk", "status", "affiliation_type", "municipality_id")
        )
        == kept
    )
    assert list(RosterEntry.objects.values_list("pk", "status", "municipality_id")) == statuses
    # two walk-ins of one event now read the same: their comparison keys stay unique
    assert len(set(RosterEntry.objects.values_list("person_key", flat=True))) == 2


def test_the_management_link_of_an_erased_registration_stops_working(past_event):
    registration = Registration.objects.first()
    token = registration.management_token
    assert client_for(None).get(f"/training/r/{token}/").status_code == 200

    erase_expired(now=later(past_event, 7))

    assert client_for(None).get(f"/training/r/{token}/").status_code == 404


def test_outbox_addresses_go_after_their_days_and_pages_say_erased(past_event, center_staff):
    sent = Dispatch.objects.filter(recipient="taro1@example.jp")
    assert sent.exists()
    now = later(past_event, 1)
    for number, dispatch in enumerate(Dispatch.objects.all()):
        days = 89 if dispatch.recipient == "taro2@example.jp" else 91
        dispatch.state = Dispatch.State.SENT
        dispatch.due_at = now - dt.timedelta(days=days, minutes=number)
        dispatch.save()
    fresh = Dispatch.objects.filter(recipient="taro2@example.jp")

    run = erase_expired(now=now)

    assert set(run.counts) == {"dispatches"}
    assert not Dispatch.objects.filter(recipient="taro1@example.jp").exists()
    assert Dispatch.objects.filter(recipient="taro2@example.jp").count() == fresh.count() > 0
    erased = Dispatch.objects.filter(recipient_name=ERASED)
    assert erased.count() == run.counts["dispatches"] > 0
    assert set(erased.values_list("subject", "state")) == {("", "sent")}
    page = client_for(center_staff).get("/outbox/?view=all").content.decode()
    assert ERASED in page and "erased.invalid" not in page and "taro1@" not in page


def test_visits_confidential_notes_go_after_their_years():
    old = VisitFactory(confidential_notes="本人（A さん）の状況", cancel_reason="")
    recent = VisitFactory(starts_at=old.starts_at + dt.timedelta(days=400), confidential_notes="B")

    run = erase_expired(now=dt.datetime(2027, 4, 1, tzinfo=dt.UTC))

    assert run.counts == {"visit_notes": 1}
    assert Visit.objects.get(pk=old.pk).confidential_notes == ERASED
    assert Visit.objects.get(pk=old.pk).cancel_reason == ""
    assert Visit.objects.get(pk=recent.pk).confidential_notes == "B"


def test_audit_entries_stay_without_the_personal_text_and_the_run_is_counted(past_event):
    registration = Registration.objects.get(email="taro1@example.jp")
    entries = AuditEntry.objects.for_object(registration)
    assert "高知 1郎" in json.dumps(
        list(entries.values("object_repr", "changes")), ensure_ascii=False
    )
    count = entries.count()

    run = erase_expired(now=later(past_event, 7))

    text = json.dumps(
        list(AuditEntry.objects.values("object_repr", "changes", "data")), ensure_ascii=False
    )
    assert "高知 1郎" not in text and "taro1@example.jp" not in text and "088-111" not in text
    assert entries.count() == count
    assert set(entries.values_list("object_repr", flat=True)) == {ERASED}
    (entry,) = AuditEntry.objects.filter(action="privacy.erasure.scheduled")
    assert entry.object_id == str(run.pk) and entry.actor is None
    assert entry.data == run.counts and all(isinstance(v, int) for v in entry.data.values())


def test_running_twice_changes_nothing_more(past_event, center_staff):
    walk_ins(past_event, center_staff, past_event.ends_at)
    now = later(past_event, 7)
    first = erase_expired(now=now)
    state = [
        list(Registration.objects.order_by("pk").values()),
        list(RosterEntry.objects.order_by("pk").values()),
        list(AuditEntry.objects.order_by("pk").values()),
    ]

    second = erase_expired(now=now)

    assert first is not None and second is None
    assert count_due(now) == dict.fromkeys(count_due(now), 0)
    assert state == [
        list(Registration.objects.order_by("pk").values()),
        list(RosterEntry.objects.order_by("pk").values()),
        list(AuditEntry.objects.order_by("pk").values()),
    ]


def test_a_run_that_dies_keeps_its_finished_batches_and_the_next_run_finishes(
    past_event, center_staff, monkeypatch
):
    for number in range(3, 8):
        register_trainee(
            event=past_event,
            name=f"追加 {number}",
            email=f"more{number}@example.jp",
            affiliation_type="municipal",
            source=Registration.Source.PHONE,
            by=center_staff,
        )
    monkeypatch.setattr(erase, "BATCH", 3)
    calls = {"n": 0}
    real = erase.scrub_audit

    def dies_in_the_second_batch(kind, ids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(kind, ids)

    monkeypatch.setattr(erase, "scrub_audit", dies_in_the_second_batch)
    now = later(past_event, 7)
    with pytest.raises(RuntimeError):
        erase_expired(now=now)
    crashed = Erasure.objects.get()
    assert crashed.finished_at is None and crashed.counts == {"registrations": 3}
    assert Registration.objects.filter(name=ERASED).count() == 3  # the second batch rolled back

    monkeypatch.setattr(erase, "scrub_audit", real)
    run = erase_expired(now=now)

    assert run.counts["registrations"] == 4 and run.finished_at is not None
    assert Registration.objects.exclude(name=ERASED).count() == 0


def test_dry_run_prints_japanese_counts_and_changes_nothing(past_event):
    out = io.StringIO()
    date = (later(past_event, 7)).date().isoformat()

    call_command("erase_expired", "--dry-run", "--date", date, stdout=out)

    text = out.getvalue()
    assert "申込: 2件" in text and "--dry-run のため何も変更していません" in text
    assert not Registration.objects.filter(name=ERASED).exists()
    assert not Erasure.objects.exists()


def test_the_command_erases_with_progress(past_event):
    out = io.StringIO()

    call_command("erase_expired", "--date", later(past_event, 7).date().isoformat(), stdout=out)

    assert "申込: 2 / 2件 削除済み" in out.getvalue()
    assert Registration.objects.filter(name=ERASED).count() == 2


def test_erased_rows_still_save_through_their_models(past_event, center_staff):
    """The erased values pass the models' own checks (BoundedRow) and constraints."""
    walk_ins(past_event, center_staff, past_event.ends_at)
    erase_expired(now=later(past_event, 7))

    for row in [*Registration.objects.all(), *RosterEntry.objects.all()]:
        row.save()

    assert len(set(RosterEntry.objects.values_list("person_key", flat=True))) == 2
    assert Registration.objects.filter(name=ERASED).count() == 2


def test_a_run_whose_rows_another_run_erased_first_records_nothing(past_event, monkeypatch):
    now = later(past_event, 7)
    real = erase.erase

    def another_worker_first(kind, queryset, *, on_batch):
        monkeypatch.setattr(erase, "erase", real)
        erase_expired(now=now)  # the other worker, between this run's count and its update
        yield from real(kind, queryset, on_batch=on_batch)

    monkeypatch.setattr(erase, "erase", another_worker_first)

    assert erase_expired(now=now) is None
    (run,) = Erasure.objects.all()
    assert run.counts["registrations"] == 2
    assert AuditEntry.objects.filter(action="privacy.erasure.scheduled").count() == 1
