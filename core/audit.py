"""The audit trail, written by the services (the one write path), as pretix's ``log_action``:
an explicit call names the domain action, the person and the reason, which a model-level history
library cannot know from ``save()``. Center staff read it on an object's page and at
``/api/audit``; it never reaches a feed, an export or an email.

Usage in a service, inside its transaction::

    before = audit.snapshot(event, EVENT_FIELDS)
    ... change event ...
    audit.record(event, "training.event.changed", by=by,
                 changes=audit.diff(before, audit.snapshot(event, EVENT_FIELDS)), reason=reason)

``by`` is a user, ``audit.PUBLIC`` (a registrant through their secret link) or None (the
system: a scheduled job). Actions are ``"<app>.<model>.<verb>"``; each app registers the
Japanese-translated labels of its actions with ``register_actions`` (the object types
``/api/audit`` accepts are the ones named there).
"""

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import when
from core.models import AuditEntry

SYSTEM = "system"
PUBLIC = "public"

# Verbs every app may use without registering a label of its own.
_VERBS = {
    "created": gettext_lazy("created"),
    "changed": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
    "cancelled": gettext_lazy("cancelled"),
}
_ACTIONS: dict[str, object] = {}
# Field names some models leave without a translated verbose name.
_FIELD_LABELS = (
    gettext_lazy("revoked at"),
    gettext_lazy("completed at"),
    gettext_lazy("cancelled at"),
    gettext_lazy("published at"),
    gettext_lazy("confirmed at"),
    gettext_lazy("waitlisted at"),
    gettext_lazy("cancel reason"),
    gettext_lazy("public summary"),
    gettext_lazy("confidential notes"),
    gettext_lazy("postponed at"),
)
# Internal bookkeeping people never read in a history: the calendar's update counter.
HIDDEN_FIELDS = frozenset({"sequence", "updated_at"})
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def register_actions(labels: Mapping[str, object]) -> None:
    """Name an app's actions for people as the sentence a history shows (lazy translations),
    e.g. ``{"training.event.published": gettext_lazy("Published the event")}``; a label may
    also be a function of the entry (``AuditEntry -> str``) where the sentence depends on it
    (「実施済を取り消しました」 or 「中止を取り消しました」)."""
    for action in labels:
        if action.count(".") != 2:
            raise ValueError(f"an audit action is '<app>.<model>.<verb>', not {action!r}")
    _ACTIONS.update(labels)


def is_registered(action: str) -> bool:
    """Whether ``action`` has a label of its own (a history never shows a raw verb)."""
    return action in _ACTIONS


def action_label(action: str, entry: AuditEntry | None = None) -> str:
    label = _ACTIONS.get(action)
    if callable(label):
        return str(label(entry))
    if label is not None:
        return str(label)
    verb = action.rsplit(".", 1)[-1]
    return str(_VERBS.get(verb, verb))


def registered_object_types() -> list[str]:
    """``"<app_label>.<model_name>"`` of every object kind with registered actions: the values
    the OpenAPI document lists for ``/api/audit?object_type=`` (``object_types`` also accepts
    a kind that only has older entries)."""
    return sorted({action.rsplit(".", 1)[0] for action in _ACTIONS})


def object_types() -> list[str]:
    """``"<app_label>.<model_name>"`` (the content type) of every object kind that has
    registered actions or already has entries: what ``/api/audit?object_type=`` accepts."""
    registered = {action.rsplit(".", 1)[0] for action in _ACTIONS}
    logged = ContentType.objects.filter(
        pk__in=AuditEntry.objects.order_by().values("content_type").distinct()
    ).values_list("app_label", "model")
    return sorted(registered | {f"{app_label}.{model}" for app_label, model in logged})


# --- writing ------------------------------------------------------------------------------------


def _plain(value):
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # One form per instant, whatever zone the value came in (the database's or a form's).
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted((_plain(item) for item in value), key=str)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict:
    """The current values of ``fields`` of ``obj`` (foreign keys as ids), JSON-safe."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        elif field.is_relation:
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = _plain(getattr(obj, name))
    return values


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for each field whose value changed (a field missing from
    ``before`` counts as None, so ``diff({}, snapshot(...))`` describes a creation)."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value and not (name not in before and value in (None, "", []))
    }


def _actor_label(by) -> str:
    if by is None:
        return SYSTEM
    if isinstance(by, str):
        return by
    return by.get_username()


def record(obj: models.Model, action: str, *, by=None, changes: dict | None = None, **data):
    """Log ``action`` on ``obj`` by ``by`` (a user, a label such as ``audit.PUBLIC``, or None
    for the system) with its ``changes`` and details (e.g. ``reason=...``; empty details are
    left out). Call it inside the service's transaction, so the entry exists exactly when the
    change does."""
    user = by if by is not None and not isinstance(by, str) else None
    return AuditEntry.objects.create(
        content_type_id=_content_type_id(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=user if user is not None and user.pk else None,
        actor_label=_actor_label(by)[:150],
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
        data={key: _plain(value) for key, value in data.items() if value not in (None, "")},
    )


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def _of_type(model) -> Q:
    """Entries of ``model`` by its natural key (a join, so no content-type lookup is needed)."""
    return Q(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
    )


def _content_type_id(obj) -> int:
    return _content_type(obj).id


# --- reading ------------------------------------------------------------------------------------


def history(obj: models.Model):
    """The audit entries of ``obj``, newest first."""
    return AuditEntry.objects.for_object(obj).select_related("actor", "content_type")


def trail(*parts):
    """The entries of several objects at once, newest first: each part is a model instance, a
    queryset or a list of instances (e.g. an event and its registrations)."""
    ids_by_model: dict = {}
    condition = Q(pk__in=[])
    for part in parts:
        if part is None or part == "":
            continue
        if isinstance(part, models.Model):
            ids_by_model.setdefault(type(part), []).append(part.pk)
        elif isinstance(part, models.QuerySet) and part._result_cache is None:
            # Not read yet: a subquery, so the section costs one query whatever the rows.
            ids = part.order_by().values(pk_text=Cast("pk", models.CharField()))
            condition |= _of_type(part.model) & Q(object_id__in=ids)
        else:
            for obj in part:
                ids_by_model.setdefault(type(obj), []).append(obj.pk)
    for model, ids in ids_by_model.items():
        condition |= _of_type(model) & Q(object_id__in=[str(pk) for pk in ids])
    return AuditEntry.objects.filter(condition).select_related("actor", "content_type")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Line:
    """One entry as people read it: who, when, which object, what, old → new."""

    entry: AuditEntry
    at: dt.datetime
    actor: str
    object_repr: str
    action: str
    changes: list[Change]
    detail: str
    reason: str


def actor_display(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name().strip() or entry.actor.get_username()
    if entry.actor_label == SYSTEM:
        return _("System")
    if entry.actor_label == PUBLIC:
        return _("The person themselves (public link)")
    return entry.actor_label or _("System")


def _field(model, name):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _display(field, value, cache: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        ids = value if isinstance(value, list) else [value]
        names = []
        for pk in ids:
            key = (field.related_model, pk)
            if key not in cache:
                row = field.related_model._default_manager.filter(pk=pk).first()
                cache[key] = str(row) if row is not None else f"#{pk}"
            names.append(cache[key])
        return "、".join(names)
    if field.choices:
        labels = dict(field.flatchoices)
        return (
            "、".join(str(labels.get(v, v)) for v in value)
            if isinstance(value, list)
            else str(labels.get(value, value))
        )
    if isinstance(field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return when(timezone.localtime(moment) if timezone.is_aware(moment) else moment)
    if isinstance(field, models.DateField):
        try:
            return when(dt.date.fromisoformat(value), "date")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(field, models.DurationField):
        from django.utils.dateparse import parse_duration

        duration = parse_duration(str(value))
        if duration is not None:
            return _("%(hours)s hours") % {"hours": round(duration.total_seconds() / 3600, 1)}
    if isinstance(value, list):
        return "、".join(map(str, value))
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _dates_read(text: str) -> str:
    """An object's name as stored (older names carry ISO dates: 2026-12-22) with its dates as
    people read them."""

    def wareki(match) -> str:
        try:
            return when(dt.date(*map(int, match.groups())), "date")
        except ValueError:
            return match.group(0)

    return _ISO_DATE.sub(wareki, text)


def describe(entry: AuditEntry, cache: dict | None = None) -> Line:
    """``entry`` for people: the actor's name, the action's label, each field's label and its
    old and new value as shown on the pages."""
    cache = {} if cache is None else cache
    model = entry.content_type.model_class()
    changes = []
    for name, pair in entry.changes.items():
        if name in HIDDEN_FIELDS:
            continue
        old, new = [*pair, None, None][:2]
        field = _field(model, name)
        label = _(str(field.verbose_name)) if field is not None else name
        changes.append(
            Change(name, label, _display(field, old, cache), _display(field, new, cache))
        )
    return Line(
        entry=entry,
        at=entry.at,
        actor=actor_display(entry),
        object_repr=_dates_read(entry.object_repr),
        action=action_label(entry.action, entry),
        changes=changes,
        detail=str(entry.data.get("detail", "")),
        reason=str(entry.data.get("reason", "")),
    )


def related_names(entries) -> dict:
    """The names of the objects the entries' changes point to (foreign keys), one query per
    related model whatever the number of entries: the cache ``describe`` takes."""
    wanted: dict = {}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, pair in entry.changes.items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for value in pair:
                for pk in value if isinstance(value, list) else [value]:
                    if pk is not None:
                        wanted.setdefault(field.related_model, set()).add(pk)
    cache = {}
    for model, ids in wanted.items():
        rows = model._default_manager.in_bulk(list(ids))
        for pk in ids:
            cache[(model, pk)] = str(rows[pk]) if pk in rows else f"#{pk}"
    return cache


def lines(entries, *, limit: int = 50) -> list[Line]:
    """The newest ``limit`` entries described (for a page's 変更履歴 section)."""
    entries = list(entries[:limit])
    cache = related_names(entries)
    return [describe(entry, cache) for entry in entries]
