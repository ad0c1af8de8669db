"""Sending what is due: the job ``send_due_dispatches`` (run every minute by django-q2, see
config/jobs.py) claims due rows in batches and sends each batch over one mail connection.

Delivery guarantee of the sender
--------------------------------
A dispatch is claimed (pending -> sending, with a claim time and token) in a short transaction
before anything is sent, so two workers, or a job that runs twice, never take the same row:
PostgreSQL claims with ``SELECT ... FOR UPDATE SKIP LOCKED``; SQLite runs every transaction as
``BEGIN IMMEDIATE`` (settings), so the select-then-conditional-update claim is serialized.

Each row is recorded as sent right after its own message has been handed to the mail server,
not at the end of the batch. A worker killed between claiming and sending leaves its rows in
``sending``; once their lease (``NOTIFICATIONS_SENDING_LEASE`` seconds, longer than the
django-q2 task timeout, so a live worker is never overtaken) has passed, the next run puts them
back to pending and sends them. Nothing is lost. The price is at-least-once delivery in one
narrow window: a worker killed after the mail server accepted a message but before the row was
recorded (one UPDATE later) sends that one message again. We chose this over at-most-once
(record first, then send), which would silently lose a reminder on every such crash; SMTP
offers no way to make the two steps one.
"""

import datetime as dt
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.headerregistry import Address

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from core.emails import sender
from notifications.models import Dispatch
from notifications.registry import MessageKind, get_kind

log = logging.getLogger(__name__)

State = Dispatch.State

Reason = Dispatch.Reason

DEFAULT_LEASE_SECONDS = 600
MAX_BACKOFF = dt.timedelta(hours=6)


def sending_lease() -> dt.timedelta:
    """How long a claimed row may stay in ``sending`` before another run takes it back."""
    return dt.timedelta(
        seconds=getattr(settings, "NOTIFICATIONS_SENDING_LEASE", DEFAULT_LEASE_SECONDS)
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after the ``attempts``-th failed try: 1, 5, 25, 125 minutes, at most 6 hours."""
    return min(dt.timedelta(minutes=5 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    missed: int = 0
    cancelled: int = 0
    reclaimed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, "
            f"missed {self.missed}, cancelled {self.cancelled}, reclaimed {self.reclaimed} "
            f"in {self.batches} batch(es)"
        )


def reclaim_stale_dispatches(*, now: dt.datetime | None = None) -> int:
    """Put rows stuck in ``sending`` past their lease (their worker died) back to pending, or
    record them as failed when that was their last try. Returns how many were taken back."""
    now = now or timezone.now()
    stale = list(
        Dispatch.objects.filter(
            state=State.SENDING, claimed_at__lt=now - sending_lease()
        ).values_list("pk", "kind", "attempts")
    )
    if not stale:
        return 0
    exhausted, retry = [], []
    for pk, code, attempts in stale:
        kind = get_kind(code)
        (exhausted if kind is None or attempts >= kind.max_attempts else retry).append(pk)
    common = {"reason": Reason.INTERRUPTED, "claim_token": "", "updated_at": now}
    with transaction.atomic():
        Dispatch.objects.filter(pk__in=exhausted, state=State.SENDING).update(
            state=State.FAILED, **common
        )
        Dispatch.objects.filter(pk__in=retry, state=State.SENDING).update(
            state=State.PENDING, next_attempt_at=now, claimed_at=None, **common
        )
    log.warning("reclaimed %d dispatch(es) left in sending by a stopped worker", len(stale))
    return len(stale)


def claim_due_dispatches(
    *, now: dt.datetime, limit: int, ids: Iterable[int] | None = None
) -> tuple[str, list[Dispatch]]:
    """Atomically take up to ``limit`` due pending rows (pending -> sending, one more attempt)
    for this caller alone; returns the claim token and the rows."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = Dispatch.objects.due(now).order_by("next_attempt_at", "id")
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        pks = list(due.values_list("pk", flat=True)[:limit])
        if not pks:
            return token, []
        Dispatch.objects.filter(pk__in=pks, state=State.PENDING).update(
            state=State.SENDING,
            claimed_at=now,
            claim_token=token,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    rows = list(
        Dispatch.objects.filter(pk__in=pks, claim_token=token, state=State.SENDING).order_by(
            "next_attempt_at", "id"
        )
    )
    return token, rows


def _load_objects(rows: list[Dispatch]) -> None:
    """Attach each row's object, one query per (kind, model) in the batch."""
    groups: dict[tuple[str, int], list[Dispatch]] = defaultdict(list)
    for row in rows:
        groups[(row.kind, row.content_type_id)].append(row)
    for (code, content_type_id), members in groups.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        kind = get_kind(code)
        queryset = kind.queryset() if kind and kind.queryset else None
        if queryset is None or queryset.model is not model:
            queryset = model._default_manager.all()
        objects = queryset.in_bulk([row.object_id for row in members])
        for row in members:
            found = objects.get(row.object_id)
            row._loaded_object = found
            if found is not None:
                row.obj = found


def _finish(rows: list[Dispatch], token: str, now: dt.datetime, **fields) -> None:
    if rows:
        Dispatch.objects.filter(
            pk__in=[row.pk for row in rows], claim_token=token, state=State.SENDING
        ).update(claim_token="", updated_at=now, **fields)


class _SentRecorder:
    """Records one row as sent in one UPDATE, the same as ``_finish(..., state=SENT, ...)``
    guarded by the claim token, with its statement and constant values prepared once per batch
    and one cursor for the batch: the ORM's ``update()`` costs more than the statement itself
    at a message every few hundred microseconds (bench/reminders.py)."""

    CONSTANT = {"state": State.SENT, "reason": "", "last_error": "", "claim_token": ""}

    def __init__(self, token: str, now: dt.datetime):
        quote = connection.ops.quote_name
        field = Dispatch._meta.get_field
        constant = {**self.CONSTANT, "updated_at": now}
        self.constants = [
            field(name).get_db_prep_save(value, connection) for name, value in constant.items()
        ]
        self.sent_at, self.subject = field("sent_at"), field("subject")
        columns = [*constant, "sent_at", "subject"]
        assignments = ", ".join(f"{quote(field(name).column)} = %s" for name in columns)
        self.sql = (
            f"UPDATE {quote(Dispatch._meta.db_table)} SET {assignments} "
            f"WHERE {quote('id')} = %s AND {quote('claim_token')} = %s AND {quote('state')} = %s"
        )
        self.guard = [token, State.SENDING]
        self.cursor = None

    def __call__(self, row: Dispatch, subject: str) -> None:
        if self.cursor is None:
            self.cursor = connection.cursor()
        self.cursor.execute(
            self.sql,
            [
                *self.constants,
                self.sent_at.get_db_prep_save(timezone.now(), connection),
                self.subject.get_db_prep_save(subject[:255], connection),
                row.pk,
                *self.guard,
            ],
        )

    def close(self) -> None:
        if self.cursor is not None:
            self.cursor.close()


def _build_message(row: Dispatch, kind: MessageKind, mail_connection, from_email: str = ""):
    with translation.override(row.language):
        message = kind.render(row)
    message.to = [
        str(Address(display_name=row.recipient_name, addr_spec=row.recipient))
        if row.recipient_name
        else row.recipient
    ]
    message.cc, message.bcc = [], []
    if message.from_email in (None, "", settings.DEFAULT_FROM_EMAIL):
        message.from_email = from_email or sender()
    message.extra_headers = {**message.extra_headers, "X-Sasaeru-Dispatch": str(row.pk)}
    message.connection = mail_connection
    return message


def _record_failure(row: Dispatch, kind: MessageKind | None, token, now, error: str, report):
    last_try = kind is None or row.attempts >= kind.max_attempts
    fields = {"last_error": error[:2000], "reason": Reason.MAIL_ERROR}
    if last_try:
        fields["state"] = State.FAILED
        report.failed += 1
    else:
        fields.update(state=State.PENDING, next_attempt_at=now + retry_delay(row.attempts))
        report.retrying += 1
    _finish([row], token, now, **fields)
    report.errors.append(error)


@dataclass
class _Sorted:
    """A claimed batch sorted by what happens to each row."""

    unknown: list = field(default_factory=list)  # its kind is not registered: failed
    gone: list = field(default_factory=list)  # its object was deleted: cancelled
    late: list = field(default_factory=list)  # past its grace: missed
    untrue: list = field(default_factory=list)  # no longer true: cancelled
    broken: list = field(default_factory=list)  # (row, kind, error): its check raised
    sendable: list = field(default_factory=list)  # (row, kind)


def _sort(rows: list[Dispatch], now: dt.datetime) -> _Sorted:
    batch = _Sorted()
    for row in rows:
        kind = get_kind(row.kind)
        if kind is None:
            batch.unknown.append(row)
        elif row._loaded_object is None:
            batch.gone.append(row)
        elif now > row.due_at + kind.grace:
            batch.late.append(row)
        else:
            try:
                true = kind.still_true(row)
            except Exception as exc:  # a bug in one kind must not hold up the batch
                log.exception("still_true of dispatch %s failed", row.pk)
                batch.broken.append((row, kind, f"{exc.__class__.__name__}: {exc}"))
                continue
            if true:
                batch.sendable.append((row, kind))
            else:
                batch.untrue.append(row)
    return batch


def _send_batch(token: str, rows: list[Dispatch], now: dt.datetime, report: SendReport) -> None:
    _load_objects(rows)
    batch = _sort(rows, now)
    _finish(batch.unknown, token, now, state=State.FAILED, reason=Reason.UNKNOWN_KIND)
    _finish(batch.gone, token, now, state=State.CANCELLED, reason=Reason.OBJECT_GONE)
    _finish(batch.untrue, token, now, state=State.CANCELLED, reason=Reason.NO_LONGER_TRUE)
    _finish(batch.late, token, now, state=State.MISSED, reason=Reason.TOO_LATE)
    report.failed += len(batch.unknown)
    report.cancelled += len(batch.gone) + len(batch.untrue)
    report.missed += len(batch.late)
    for row, kind, error in batch.broken:
        _record_failure(row, kind, token, now, error, report)
    if batch.sendable:
        _send_over_one_connection(batch.sendable, token, now, report)


def _send_over_one_connection(sendable, token: str, now: dt.datetime, report: SendReport) -> None:
    """Send each (row, kind) over one mail connection, recording each row as soon as its own
    message was handed over (see the delivery guarantee above)."""
    memo: dict = {}  # what a kind renders once for the whole batch (notifications.registry)
    for row, _kind in sendable:
        row.batch_memo = memo
    record_sent = _SentRecorder(token, now)
    from_email = sender()  # the center's name and address, the same for the whole batch
    mail_connection = get_connection(fail_silently=False)
    try:
        mail_connection.open()
    except Exception as exc:
        error = f"{exc.__class__.__name__}: {exc}"
        for row, kind in sendable:
            _record_failure(row, kind, token, now, error, report)
        return
    try:
        for row, kind in sendable:
            try:
                message = _build_message(row, kind, mail_connection, from_email)
                message.send()
            except Exception as exc:
                log.warning("dispatch %s failed: %s", row.pk, exc)
                _record_failure(row, kind, token, now, f"{exc.__class__.__name__}: {exc}", report)
                continue
            record_sent(row, message.subject)
            report.sent += 1
    finally:
        record_sent.close()
        try:
            mail_connection.close()
        except Exception:  # a connection that broke while sending cannot be closed cleanly
            log.warning("closing the mail connection failed", exc_info=True)


def send_due_dispatches(
    *,
    batch_size: int | None = None,
    now: dt.datetime | None = None,
    ids: Iterable[int] | None = None,
    time_budget: dt.timedelta | None = None,
) -> SendReport:
    """Send every due message: take back rows of stopped workers, then claim batches of
    ``batch_size`` (default NOTIFICATIONS_BATCH_SIZE) and send each batch over one mail connection, until nothing is due or the
    time budget (half the django-q2 task timeout) is used. ``ids`` limits it to these rows.
    Each row ends sent, pending again (retry with backoff), failed (last try), missed (later
    than its grace), or cancelled (no longer true, or its object is gone)."""
    batch_size = batch_size or getattr(settings, "NOTIFICATIONS_BATCH_SIZE", 200)
    report = SendReport()
    report.reclaimed = reclaim_stale_dispatches(now=now)
    if time_budget is None:
        time_budget = dt.timedelta(seconds=settings.Q_CLUSTER.get("timeout", 120) / 2)
    started = time.monotonic()
    while True:
        current = now or timezone.now()
        token, rows = claim_due_dispatches(now=current, limit=batch_size, ids=ids)
        if not rows:
            break
        _send_batch(token, rows, current, report)
        report.batches += 1
        if time.monotonic() - started > time_budget.total_seconds():
            break
    return report
