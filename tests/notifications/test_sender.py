import datetime as dt
import socket

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from core import center
from notifications.models import Dispatch
from notifications.registry import MessageKind, register, unregister
from notifications.services import (
    Planned,
    cancel_pending,
    claim_due_dispatches,
    plan_messages,
    reclaim_stale_dispatches,
    reschedule_pending,
    retry_delay,
    schedule_message,
    send_due_dispatches,
    send_now,
)
from tests.factories import ContactFactory
from tests.notifications.conftest import NOTICE

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def schedule(contact, due_at, **kwargs):
    return schedule_message(
        kind=NOTICE, obj=contact, recipient=contact.email, due_at=due_at, **kwargs
    )


def states():
    return list(Dispatch.objects.order_by("id").values_list("state", flat=True))


def closed_port() -> int:
    """A localhost port nobody listens on: the mail server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_schedule_message_twice_keeps_one_row(notice_kind, contact, now):
    first = schedule(contact, now + HOUR)

    second = schedule(contact, now + HOUR)

    assert (second.pk, Dispatch.objects.count()) == (first.pk, 1)


def test_schedule_message_rejects_an_unknown_kind(contact, now):
    with pytest.raises(ValueError):
        schedule_message(kind="nobody.knows", obj=contact, recipient="a@example.jp", due_at=now)


def test_sender_sends_what_is_due_and_keeps_the_rest(notice_kind, contact, now):
    due = schedule(contact, now - dt.timedelta(minutes=5), recipient_name="伊野 一郎")
    later = schedule(contact, now + HOUR)

    report = send_due_dispatches(now=now)

    due.refresh_from_db()
    later.refresh_from_db()
    assert (report.sent, due.state, later.state) == (1, "sent", "pending")
    assert due.subject == "お知らせ 伊野 一郎"
    assert [m.to for m in mail.outbox] == [["伊野 一郎 <ichiro@example.jp>"]]
    assert mail.outbox[0].extra_headers["X-Sasaeru-Dispatch"] == str(due.pk)


def test_sender_run_twice_sends_once(notice_kind, contact, now):
    schedule(contact, now)

    send_due_dispatches(now=now)
    second = send_due_dispatches(now=now)

    assert (len(mail.outbox), second.sent, states()) == (1, 0, ["sent"])


def test_sender_cancels_what_is_no_longer_true(notice_kind, contact, now):
    schedule(contact, now)
    contact.receives_notifications = False
    contact.save()

    send_due_dispatches(now=now)

    assert (mail.outbox, states()) == ([], ["cancelled"])
    assert Dispatch.objects.get().reason == "no_longer_true"


def test_sender_cancels_a_message_whose_object_is_gone(notice_kind, contact, now):
    schedule(contact, now)
    contact.delete()

    send_due_dispatches(now=now)

    assert (mail.outbox, states()) == ([], ["cancelled"])
    assert Dispatch.objects.get().reason == "object_gone"


def test_sender_records_a_message_past_its_grace_as_missed(notice_kind, contact, now):
    schedule(contact, now - 3 * HOUR)
    schedule(contact, now - HOUR)

    send_due_dispatches(now=now)

    assert (len(mail.outbox), states()) == (1, ["missed", "sent"])


def test_cancel_pending_withdraws_and_the_sender_skips_it(notice_kind, contact, now):
    schedule(contact, now)
    other = ContactFactory(email="other@example.jp")
    schedule(other, now)

    withdrawn = cancel_pending(obj=contact)
    send_due_dispatches(now=now)

    assert (withdrawn, states()) == (1, ["cancelled", "sent"])
    assert [m.to for m in mail.outbox] == [["other@example.jp"]]


def test_schedule_message_plans_a_withdrawn_message_again(notice_kind, contact, now):
    first = schedule(contact, now + HOUR)
    cancel_pending(obj=contact)

    again = schedule(contact, now + HOUR)

    assert (again.pk, again.state) == (first.pk, "pending")


def test_reschedule_pending_moves_the_message(notice_kind, contact, now):
    dispatch = schedule(contact, now)

    moved = reschedule_pending(obj=contact, kind=NOTICE, due_at=now + HOUR)
    early = send_due_dispatches(now=now)
    on_time = send_due_dispatches(now=now + HOUR)

    dispatch.refresh_from_db()
    assert (moved, early.sent, on_time.sent) == (1, 0, 1)
    assert (dispatch.due_at, dispatch.state) == (now + HOUR, "sent")


def test_reschedule_pending_onto_an_existing_message_keeps_one(notice_kind, contact, now):
    schedule(contact, now)
    schedule(contact, now + HOUR)

    reschedule_pending(obj=contact, kind=NOTICE, due_at=now + HOUR)

    assert states() == ["cancelled", "pending"]


def test_plan_messages_withdraws_what_is_no_longer_planned(notice_kind, contact, now):
    three, one = now + 72 * HOUR, now + 24 * HOUR
    plan_messages(
        kind=NOTICE, plans={contact: [Planned(contact.email, three), Planned(contact.email, one)]}
    )

    plan_messages(
        kind=NOTICE,
        plans={contact: [Planned(contact.email, one), Planned(contact.email, now + 48 * HOUR)]},
    )

    rows = Dispatch.objects.order_by("due_at").values_list("due_at", "state")
    assert list(rows) == [(one, "pending"), (now + 48 * HOUR, "pending"), (three, "cancelled")]


def test_plan_messages_leaves_out_moments_already_past(notice_kind, contact, now):
    plan_messages(
        kind=NOTICE,
        plans={
            contact: [Planned(contact.email, now - 3 * HOUR), Planned(contact.email, now + HOUR)]
        },
        now=now,
    )

    assert list(Dispatch.objects.values_list("due_at", flat=True)) == [now + HOUR]


def test_plan_messages_brings_back_a_withdrawn_message_planned_again(notice_kind, contact, now):
    plan_messages(kind=NOTICE, plans={contact: [Planned(contact.email, now + HOUR)]})
    plan_messages(kind=NOTICE, plans={contact: []})

    changed = plan_messages(kind=NOTICE, plans={contact: [Planned(contact.email, now + HOUR)]})

    assert (changed, states()) == (1, ["pending"])


def test_plan_messages_queries_do_not_grow_with_the_objects(notice_kind, now):
    def queries_for(count):
        contacts = ContactFactory.create_batch(count)
        plans = {
            c: [Planned(c.email, now + HOUR), Planned(c.email, now + 2 * HOUR)] for c in contacts
        }
        with CaptureQueriesContext(connection) as queries:
            plan_messages(kind=NOTICE, plans=plans)
        return len(queries)

    assert queries_for(1) == queries_for(15)  # SQLite inserts at most 999 parameters at once


def test_send_now_sends_after_commit(notice_kind, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_now(kind=NOTICE, obj=contact, recipient=contact.email)

    assert (len(mail.outbox), states()) == (1, ["sent"])


def test_two_claims_never_take_the_same_row(notice_kind, contact, now):
    for minutes in range(5):
        schedule(contact, now - dt.timedelta(minutes=minutes))

    _, first = claim_due_dispatches(now=now, limit=3)
    _, second = claim_due_dispatches(now=now, limit=3)
    _, third = claim_due_dispatches(now=now, limit=3)

    assert (len(first), len(second), third) == (3, 2, [])
    assert {row.pk for row in first}.isdisjoint({row.pk for row in second})


def test_sender_leaves_a_claim_within_its_lease_alone(notice_kind, contact, now):
    schedule(contact, now)
    claim_due_dispatches(now=now, limit=10)

    report = send_due_dispatches(now=now + dt.timedelta(minutes=5))

    assert (report.sent, report.reclaimed, states()) == (0, 0, ["sending"])


@override_settings(NOTIFICATIONS_SENDING_LEASE=600)
def test_sender_takes_back_a_claim_whose_worker_died(notice_kind, contact, now):
    schedule(contact, now)
    claim_due_dispatches(now=now, limit=10)  # ...and the worker is killed here

    report = send_due_dispatches(now=now + dt.timedelta(minutes=11))

    assert (report.reclaimed, report.sent, states()) == (1, 1, ["sent"])
    assert Dispatch.objects.get().attempts == 2


def test_a_claim_interrupted_on_its_last_try_is_recorded_as_failed(notice_kind, contact, now):
    schedule(contact, now)
    for minutes in (0, 11, 22):  # claimed, and its worker killed, three times
        reclaim_stale_dispatches(now=now + dt.timedelta(minutes=minutes))
        claim_due_dispatches(now=now + dt.timedelta(minutes=minutes), limit=10)

    send_due_dispatches(now=now + dt.timedelta(minutes=33))

    dispatch = Dispatch.objects.get()
    assert (dispatch.state, dispatch.reason, dispatch.attempts) == ("failed", "interrupted", 3)
    assert mail.outbox == []


def test_sender_retries_with_backoff_when_the_mail_server_is_down(notice_kind, contact, now):
    dispatch = schedule(contact, now)

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=5,
    ):
        report = send_due_dispatches(now=now)

    dispatch.refresh_from_db()
    assert (report.retrying, dispatch.state, dispatch.attempts) == (1, "pending", 1)
    assert dispatch.next_attempt_at == now + retry_delay(1)
    assert dispatch.last_error.startswith("ConnectionRefusedError")


def test_a_mail_server_that_hangs_is_given_up_after_email_timeout(notice_kind, contact, now):
    """EMAIL_TIMEOUT (config/settings.py, 30 s by default) reaches the SMTP connection: a server
    that accepts and never answers makes the message retry, it does not hold the batch."""
    dispatch = schedule(contact, now)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=silent.getsockname()[1],
            EMAIL_TIMEOUT=1,
        ):
            report = send_due_dispatches(now=now)

    dispatch.refresh_from_db()
    assert (report.retrying, dispatch.state) == (1, "pending")
    assert dispatch.last_error.endswith("timed out")


def test_sender_records_failed_after_the_last_try(notice_kind, contact, now):
    dispatch = schedule(contact, now)
    moments = [now, now + dt.timedelta(minutes=1), now + dt.timedelta(minutes=6)]

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=5,
    ):
        reports = [send_due_dispatches(now=moment) for moment in moments]

    dispatch.refresh_from_db()
    assert [(r.retrying, r.failed) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    assert (dispatch.state, dispatch.attempts, dispatch.reason) == ("failed", 3, "mail_error")


def test_retry_delay_grows_and_is_capped():
    delays = [retry_delay(n) for n in range(1, 7)]

    assert delays == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=25),
        dt.timedelta(minutes=125),
        dt.timedelta(hours=6),
        dt.timedelta(hours=6),
    ]


def _queries_to_send(count, now):
    contacts = ContactFactory.create_batch(count)
    for contact in contacts:
        schedule(contact, now)
    with CaptureQueriesContext(connection) as queries:
        report = send_due_dispatches(now=now, batch_size=500)
    assert report.sent == count
    return len(queries)


def test_sender_uses_one_query_per_message_plus_a_constant(notice_kind, now):
    one = _queries_to_send(1, now)
    Dispatch.objects.all().delete()

    forty = _queries_to_send(40, now)

    assert forty - one == 39


def test_a_kind_whose_check_breaks_is_retried_without_holding_up_the_batch(notice_kind, now):
    def broken_check(dispatch):
        raise RuntimeError("bug")

    register(MessageKind(code="tests.broken", render=lambda d: None, still_true=broken_check))
    try:
        good, bad = ContactFactory.create_batch(2)
        schedule(good, now)
        schedule_message(kind="tests.broken", obj=bad, recipient=bad.email, due_at=now)

        report = send_due_dispatches(now=now)
    finally:
        unregister("tests.broken")

    assert (report.sent, report.retrying) == (1, 1)
    assert Dispatch.objects.get(kind="tests.broken").last_error == "RuntimeError: bug"


def test_every_email_is_sent_in_the_name_of_the_center(notice_kind, contact, now):
    schedule(contact, now)

    send_due_dispatches(now=now)

    [message] = mail.outbox
    assert message.from_email == f"{center.current().name} <center@sasaeru.example>"
