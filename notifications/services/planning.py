"""Planning outgoing messages: schedule one, plan a kind's messages for many objects at once,
send now, withdraw, move, and send a failed one again."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from core.errors import Conflict
from notifications.models import Dispatch
from notifications.registry import get_kind
from notifications.topics import topic_for

State = Dispatch.State
Reason = Dispatch.Reason


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


def _require_aware(value: dt.datetime) -> None:
    if timezone.is_naive(value):
        raise ValueError("naive datetime: Sasaeru works with aware datetimes only")


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
    wanted = _wanted(plans, grace=message_kind.grace, now=now)
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
        _new_row(kind, content_type, obj, item, topic=topic)
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


def _wanted(plans, *, grace: dt.timedelta, now: dt.datetime) -> dict[tuple, tuple[Any, Planned]]:
    """The planned messages by (object id, recipient, due time), those past their grace left
    out."""
    wanted = {}
    for obj, items in plans.items():
        for item in items:
            _require_aware(item.due_at)
            if item.due_at + grace >= now:
                wanted[(obj.pk, item.recipient.strip(), item.due_at)] = (obj, item)
    return wanted


def _new_row(kind: str, content_type, obj, item: Planned, *, topic: str | None) -> Dispatch:
    return Dispatch(
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
        raise Conflict(
            _("Only a failed or missed message can be sent again."), code="not_retryable"
        )
    now = timezone.now()
    dispatch.state, dispatch.reason, dispatch.attempts = State.PENDING, "", 0
    dispatch.next_attempt_at = now
    # It is sent now on purpose, whatever its grace said.
    dispatch.due_at = max(dispatch.due_at, now - dt.timedelta(minutes=1))
    dispatch.save()
    transaction.on_commit(lambda: async_task("notifications.tasks.send_dispatches", [dispatch.pk]))
    return dispatch
