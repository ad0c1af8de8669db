"""The days before an event its reminders go out: each kind's default, or the staff's choice
per topic (an event)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.inputs import MAX_REMINDER_DAYS
from notifications.models import ReminderDays
from notifications.registry import all_kinds, get_kind
from notifications.topics import app_of_topic, object_of_topic, parse_topic

MAX_DAYS_BEFORE = MAX_REMINDER_DAYS


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
    check_topic_model(message_kind, topic)
    subject = object_of_topic(topic)
    if subject is None:
        raise ValidationError({"topic": _("Nothing is known by this name.")})
    row, _created = ReminderDays.objects.update_or_create(
        kind=kind, topic=topic, defaults={"days": cleaned}
    )
    if message_kind.replan is not None:
        message_kind.replan(subject)
    return row


def check_topic_model(message_kind, topic: str) -> None:
    """A ValidationError on ``topic`` unless it names a row of the model whose topics take this
    kind's reminder days (a visit's topic for a training reminder was a 500)."""
    parsed = parse_topic(topic)
    model = f"{parsed.app_label}.{parsed.model}" if parsed else ""
    wanted = message_kind.topic_model
    if parsed is None or (model != wanted if wanted else parsed.app_label != message_kind.app):
        raise ValidationError(
            {
                "topic": _("Reminder days of this kind are for %(what)s only.")
                % {"what": message_kind.topic_label or wanted or message_kind.app}
            }
        )


@dataclass(frozen=True)
class ReminderSetting:
    kind: str
    label: str
    days: tuple[int, ...]
    default: tuple[int, ...]


def reminder_settings(*, topic: str) -> list[ReminderSetting]:
    """The reminder kinds of the topic's app whose days staff may choose, with the days for this
    topic (the outbox shows them when filtered by a topic)."""
    app_label = app_of_topic(topic)
    kinds = [kind for kind in all_kinds() if kind.days_before is not None and kind.app == app_label]
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
