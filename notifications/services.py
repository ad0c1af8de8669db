"""Scheduling, withdrawing and sending outgoing messages.

Apps plan messages with ``schedule_message`` / ``plan_messages`` / ``send_now`` and withdraw or
move them with ``cancel_pending`` / ``reschedule_pending``; the job ``send_due_dispatches`` (run
every minute by django-q2, see config/jobs.py) sends what is due.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from notifications.models import Dispatch, ReminderDays, topic_for
from notifications.registry import MessageKind, all_kinds, get_kind

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


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def _require_aware(value: dt.datetime) -> None:
    if timezone.is_naive(value):
        raise ValueError("naive datetime: Sasaeru works with aware datetimes only")


# --- planning ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_message(
    *,
    kind: str,
    obj,
    recipient: str,
    due_at: dt.datetime,
    language: str = "ja",
    recipient_name: str = "",
    topic: str | None = None,
    version: int = 0,
) -> Dispatch:
    """Plan one message; planning the same (kind, object, recipient, due time) again returns
    the existing row. A row withdrawn earlier (cancelled) is planned again; a sent one stays."""
    if get_kind(kind) is None:
        raise ValueError(f"unknown message kind {kind!r}: register it in notifications.registry")
    _require_aware(due_at)
    dispatch, created = Dispatch.objects.get_or_create(
        kind=kind,
        content_type=_content_type(obj),
        object_id=obj.pk,
        recipient=recipient.strip(),
        due_at=due_at,
        defaults={
            "next_attempt_at": due_at,
            "language": language,
            "recipient_name": recipient_name,
            "topic": topic if topic is not None else topic_for(obj),
            "version": version,
        },
    )
    if not created and dispatch.state == State.CANCELLED:
        dispatch.state = State.PENDING
        dispatch.reason = ""
        dispatch.attempts = 0
        dispatch.next_attempt_at = due_at
        dispatch.language = language
        dispatch.recipient_name = recipient_name
        dispatch.save()
    return dispatch


def send_now(
    *,
    kind: str,
    obj,
    recipient: str,
    language: str = "ja",
    recipient_name: str = "",
    topic: str | None = None,
    due_at: dt.datetime | None = None,
    version: int = 0,
) -> Dispatch:
    """Plan a message for now and have the worker send it once the transaction commits.
    ``due_at`` names the moment that makes it unique (default: now), so a caller that must not
    send twice passes a fixed one (the registration's creation time, say)."""
    dispatch = schedule_message(
        kind=kind,
        obj=obj,
        recipient=recipient,
        due_at=due_at or timezone.now(),
        language=language,
        recipient_name=recipient_name,
        topic=topic,
        version=version,
    )
    if dispatch.state == State.PENDING:
        transaction.on_commit(
            lambda: async_task("notifications.tasks.send_dispatches", [dispatch.pk])
        )
    return dispatch


@dataclass(frozen=True)
class Planned:
    """One message a planner wants to exist (see plan_messages)."""

    recipient: str
    due_at: dt.datetime
    recipient_name: str = ""
    language: str = "ja"
    version: int = 0


@transaction.atomic
def plan_messages(
    *,
    kind: str,
    plans: Mapping[Any, Iterable[Planned]],
    topic: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Make the pending messages of ``kind`` about each object exactly its planned ones: new
    ones are scheduled, pending ones no longer planned are withdrawn (reason "no longer
    planned"), withdrawn ones planned again come back, sent ones stay. Moments already past
    their grace are left out. A constant number of queries for any number of objects (one
    model per call); safe to call again. Returns how many rows it created, withdrew or revived."""
    message_kind = get_kind(kind)
    if message_kind is None:
        raise ValueError(f"unknown message kind {kind!r}")
    if not plans:
        return 0
    now = now or timezone.now()
    content_type = _content_type(next(iter(plans)))
    wanted: dict[tuple, tuple[Any, Planned]] = {}
    for obj, items in plans.items():
        for item in items:
            _require_aware(item.due_at)
            if item.due_at + message_kind.grace >= now:
                wanted[(obj.pk, item.recipient.strip(), item.due_at)] = (obj, item)
    existing = {
        (object_id, recipient, due_at): (pk, state)
        for pk, object_id, recipient, due_at, state in Dispatch.objects.filter(
            kind=kind, content_type=content_type, object_id__in=[obj.pk for obj in plans]
        ).values_list("pk", "object_id", "recipient", "due_at", "state")
    }
    stale = [
        pk for key, (pk, state) in existing.items() if state == State.PENDING and key not in wanted
    ]
    revive = [
        existing[key][0]
        for key in wanted
        if key in existing and existing[key][1] == State.CANCELLED
    ]
    new = [
        Dispatch(
            kind=kind,
            content_type=content_type,
            object_id=obj.pk,
            recipient=item.recipient.strip(),
            recipient_name=item.recipient_name,
            language=item.language,
            due_at=item.due_at,
            next_attempt_at=item.due_at,
            topic=topic if topic is not None else topic_for(obj),
            version=item.version,
        )
        for key, (obj, item) in wanted.items()
        if key not in existing
    ]
    if stale:
        Dispatch.objects.filter(pk__in=stale, state=State.PENDING).update(
            state=State.CANCELLED, reason=Reason.REPLANNED, updated_at=now
        )
    if revive:
        Dispatch.objects.filter(pk__in=revive, state=State.CANCELLED).update(
            state=State.PENDING, reason="", attempts=0, next_attempt_at=F("due_at"), updated_at=now
        )
    Dispatch.objects.bulk_create(new, ignore_conflicts=True)
    return len(stale) + len(revive) + len(new)


@transaction.atomic
def cancel_pending(*, obj, kinds: Iterable[str] | None = None, recipient: str | None = None) -> int:
    """Withdraw the pending messages about ``obj`` (of these kinds, to this recipient);
    returns how many. Sent ones stay as the record of what was sent."""
    rows = Dispatch.objects.for_object(obj).filter(state=State.PENDING)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if recipient is not None:
        rows = rows.filter(recipient=recipient.strip())
    return rows.update(state=State.CANCELLED, reason=Reason.WITHDRAWN, updated_at=timezone.now())


@transaction.atomic
def reschedule_pending(*, obj, kind: str, due_at: dt.datetime) -> int:
    """Move the pending messages of ``kind`` about ``obj`` to ``due_at`` (an event that moved
    moves its reminder); returns how many moved. Where the recipient already has a message of
    that kind at the new moment, the moving one is withdrawn and the other one is kept."""
    _require_aware(due_at)
    moved = 0
    rows = Dispatch.objects.for_object(obj).filter(kind=kind, state=State.PENDING)
    for row in rows.exclude(due_at=due_at):
        clash = (
            Dispatch.objects.for_object(obj)
            .filter(kind=kind, recipient=row.recipient, due_at=due_at)
            .first()
        )
        if clash is None:
            row.due_at = row.next_attempt_at = due_at
            row.attempts = 0
            row.save(update_fields=["due_at", "next_attempt_at", "attempts", "updated_at"])
            moved += 1
            continue
        row.state, row.reason = State.CANCELLED, Reason.REPLANNED
        row.save(update_fields=["state", "reason", "updated_at"])
        if clash.state == State.CANCELLED:
            clash.state, clash.reason, clash.attempts = State.PENDING, "", 0
            clash.next_attempt_at = due_at
            clash.save(update_fields=["state", "reason", "attempts", "next_attempt_at"])
    return moved


@transaction.atomic
def retry_dispatch(*, dispatch: Dispatch) -> Dispatch:
    """Staff send a failed or missed message once more, now."""
    if dispatch.state not in (State.FAILED, State.MISSED):
        raise ValidationError({"state": _("Only a failed or missed message can be sent again.")})
    now = timezone.now()
    dispatch.state, dispatch.reason, dispatch.attempts = State.PENDING, "", 0
    dispatch.next_attempt_at = now
    # It is sent now on purpose, whatever its grace said.
    dispatch.due_at = max(dispatch.due_at, now - dt.timedelta(minutes=1))
    dispatch.save()
    transaction.on_commit(lambda: async_task("notifications.tasks.send_dispatches", [dispatch.pk]))
    return dispatch


# --- reminder days ----------------------------------------------------------------------------

MAX_DAYS_BEFORE = 60


def reminder_days(*, kind: str, topics: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """The days before for each topic (one query): the staff's choice, else the kind's default."""
    message_kind = get_kind(kind)
    default = tuple(message_kind.days_before or ()) if message_kind else ()
    topics = list(topics)
    chosen = dict(
        ReminderDays.objects.filter(kind=kind, topic__in=topics).values_list("topic", "days")
    )
    return {topic: tuple(chosen.get(topic, default)) for topic in topics}


@transaction.atomic
def set_reminder_days(*, kind: str, topic: str, days: Iterable[int]) -> ReminderDays:
    """Staff choose the days before (none: no reminder) for one topic (an event); the kind's
    ``replan`` moves its pending reminders at once."""
    message_kind = get_kind(kind)
    if message_kind is None or message_kind.days_before is None:
        raise ValidationError({"kind": _("This kind of message has no reminder days.")})
    try:
        cleaned = sorted({int(day) for day in days}, reverse=True)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Enter whole numbers of days.")}) from None
    if any(day < 0 or day > MAX_DAYS_BEFORE for day in cleaned):
        raise ValidationError(
            {"days": _("Days before must be between 0 and %(max)d.") % {"max": MAX_DAYS_BEFORE}}
        )
    subject = object_of_topic(topic)
    if subject is None:
        raise ValidationError({"topic": _("Nothing is known by this name.")})
    row, _created = ReminderDays.objects.update_or_create(
        kind=kind, topic=topic, defaults={"days": cleaned}
    )
    if message_kind.replan is not None:
        message_kind.replan(subject)
    return row


def object_of_topic(topic: str):
    """The object a topic ("training.event:12") names, or None."""
    label, _sep, pk = topic.partition(":")
    app_label, _dot, model = label.partition(".")
    if not (app_label and model and pk.isascii() and pk.isdigit() and len(pk) < 19):
        return None
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None
    model_class = content_type.model_class()
    return model_class._default_manager.filter(pk=int(pk)).first() if model_class else None


@dataclass(frozen=True)
class ReminderSetting:
    kind: str
    label: str
    days: tuple[int, ...]
    default: tuple[int, ...]


def reminder_settings(*, topic: str) -> list[ReminderSetting]:
    """The reminder kinds of the topic's app whose days staff may choose, with the days for this
    topic (the outbox shows them when filtered by a topic)."""
    app_label = topic.partition(".")[0]
    kinds = [
        kind
        for kind in all_kinds()
        if kind.days_before is not None and kind.code.partition(".")[0] == app_label
    ]
    chosen = dict(
        ReminderDays.objects.filter(topic=topic, kind__in=[k.code for k in kinds]).values_list(
            "kind", "days"
        )
    )
    return [
        ReminderSetting(
            kind=kind.code,
            label=str(kind.label or kind.code),
            days=tuple(chosen.get(kind.code, kind.days_before)),
            default=tuple(kind.days_before),
        )
        for kind in kinds
    ]


# --- sending ----------------------------------------------------------------------------------


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


def _build_message(row: Dispatch, kind: MessageKind, mail_connection):
    with translation.override(row.language):
        message = kind.render(row)
    message.to = [
        str(Address(display_name=row.recipient_name, addr_spec=row.recipient))
        if row.recipient_name
        else row.recipient
    ]
    message.cc, message.bcc = [], []
    message.from_email = message.from_email or settings.DEFAULT_FROM_EMAIL
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


def _send_batch(token: str, rows: list[Dispatch], now: dt.datetime, report: SendReport) -> None:
    _load_objects(rows)
    gone, unknown, late, untrue, sendable, broken = [], [], [], [], [], []
    for row in rows:
        kind = get_kind(row.kind)
        if kind is None:
            unknown.append(row)
        elif row._loaded_object is None:
            gone.append(row)
        elif now > row.due_at + kind.grace:
            late.append(row)
        else:
            try:
                true = kind.still_true(row)
            except Exception as exc:  # a bug in one kind must not hold up the batch
                log.exception("still_true of dispatch %s failed", row.pk)
                broken.append((row, kind, f"{exc.__class__.__name__}: {exc}"))
                continue
            if true:
                sendable.append((row, kind))
            else:
                untrue.append(row)
    _finish(unknown, token, now, state=State.FAILED, reason=Reason.UNKNOWN_KIND)
    _finish(gone, token, now, state=State.CANCELLED, reason=Reason.OBJECT_GONE)
    _finish(untrue, token, now, state=State.CANCELLED, reason=Reason.NO_LONGER_TRUE)
    _finish(late, token, now, state=State.MISSED, reason=Reason.TOO_LATE)
    report.failed += len(unknown)
    report.cancelled += len(gone) + len(untrue)
    report.missed += len(late)
    for row, kind, error in broken:
        _record_failure(row, kind, token, now, error, report)
    if not sendable:
        return
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
                message = _build_message(row, kind, mail_connection)
                message.send()
            except Exception as exc:
                log.warning("dispatch %s failed: %s", row.pk, exc)
                _record_failure(row, kind, token, now, f"{exc.__class__.__name__}: {exc}", report)
                continue
            _finish(
                [row],
                token,
                now,
                state=State.SENT,
                sent_at=timezone.now(),
                subject=message.subject[:255],
                reason="",
                last_error="",
            )
            report.sent += 1
    finally:
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
