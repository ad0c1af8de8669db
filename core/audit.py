"""The audit trail, written by the services (the one write path), as pretix's ``log_action``:
an explicit call names the domain action and the person, which a model-level history library
cannot know from ``save()``. Center staff read it on an object's page and at ``/api/audit``.

Usage in a service::

    before = audit.snapshot(event, EDITABLE_FIELDS)
    ... change event ...
    audit.record(event, "training.event.changed", by=by, changes=audit.diff(before, audit.snapshot(event, EDITABLE_FIELDS)))
"""

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry

SYSTEM = "system"
PUBLIC = "public"


def _plain(value):
    """A JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(item) for item in value)
    return value


def snapshot(obj: models.Model, fields) -> dict:
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
    """``{field: [old, new]}`` for each field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _actor_label(by) -> str:
    if by is None:
        return SYSTEM
    if isinstance(by, str):
        return by
    return by.get_username()


def record(obj: models.Model, action: str, *, by=None, changes: dict | None = None, **data):
    """Log ``action`` on ``obj`` by ``by`` (a user, a label such as ``audit.PUBLIC``, or None
    for the system) with its ``changes`` and details (e.g. ``reason=...``). Call it inside the
    service's transaction, so the entry exists exactly when the change does."""
    user = by if by is not None and not isinstance(by, str) else None
    return AuditEntry.objects.create(
        content_type_id=_content_type_id(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=user if user is not None and user.pk else None,
        actor_label=_actor_label(by)[:150],
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in (changes or {}).items()},
        data={key: _plain(value) for key, value in data.items()},
    )


def _content_type_id(obj) -> int:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False).id


def history(obj: models.Model):
    """The audit entries of ``obj``, newest first."""
    return AuditEntry.objects.for_object(obj).select_related("actor")
