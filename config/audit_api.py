"""``GET /api/audit``: the audit trail of an object (or of all objects of a kind), for center
staff only; anyone else with a role gets 404, an outsider 404, the anonymous 401.

The router lives in ``config`` because it reads every app's objects while ``core`` (which keeps
the trail) knows no app and no authentication.
"""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from core import audit
from core.inputs import DateTime, ListedIn, Text
from core.models import AuditEntry
from core.pagination import Pagination, QueryFilter
from directory.auth import staff_auth
from directory.permissions import is_center_staff

router = Router(auth=staff_auth, tags=["audit"])


class AuditChangeOut(Schema):
    field: str
    label: str
    old: object = None
    new: object = None
    old_display: str
    new_display: str


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    object_type: str
    object_id: str
    object_repr: str
    action: str
    action_label: str
    actor: str | None
    actor_name: str
    changes: list[AuditChangeOut]
    data: dict


ObjectType = Annotated[Text(100), ListedIn(audit.registered_object_types)]


class AuditFilter(QueryFilter):
    object_type: ObjectType | None = Field(None, description="<app>.<model>, e.g. training.event")
    object_id: Text(64) | None = None
    actor: Text(150) | None = Field(None, description="a username, system or public")
    since: DateTime | None = None

    def filter_object_type(self, value: str | None) -> Q:
        if value is None:
            return Q()
        if value not in audit.object_types():
            raise _unknown(
                "object_type",
                _("Unknown object type. Choose one of: %(types)s")
                % {"types": ", ".join(audit.object_types())},
            )
        app_label, model = value.split(".")
        return Q(content_type__app_label=app_label, content_type__model=model)

    def filter_object_id(self, value: str | None) -> Q:
        if value is None:
            return Q()
        if self.object_type is None:
            raise _unknown("object_id", _("Give the object_type with the object_id."))
        return Q(object_id=value)

    def filter_actor(self, value: str | None) -> Q:
        return Q() if value is None else Q(actor_label=value)

    def filter_since(self, value: dt.datetime | None) -> Q:
        return Q() if value is None else Q(at__gte=value)


def _unknown(field: str, message: str):
    return NinjaValidationError([{"loc": ["query", field], "msg": message, "type": "audit_filter"}])


def _out(entry: AuditEntry, cache: dict) -> dict:
    line = audit.describe(entry, cache)
    return {
        "id": entry.pk,
        "at": entry.at,
        "object_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "action": entry.action,
        "action_label": line.action,
        "actor": entry.actor_label or None,
        "actor_name": line.actor,
        "changes": [
            {
                "field": change.field,
                "label": change.label,
                "old": entry.changes[change.field][0],
                "new": entry.changes[change.field][1],
                "old_display": change.old,
                "new_display": change.new,
            }
            for change in line.changes
        ],
        "data": entry.data,
    }


class AuditPage(Pagination):
    """The API's pagination, each page's entries described with one lookup of the names."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        entries = list(page["items"])
        cache = audit.related_names(entries)
        page["items"] = [_out(entry, cache) for entry in entries]
        return page


@router.get("", response=list[AuditEntryOut])
@paginate(AuditPage)
def list_audit_entries(request, filters: Query[AuditFilter]):
    """Who changed what and when, newest first, with each field's old and new value.
    Filters: ``object_type`` (``training.event``, ``supervision.visit``, …: an unknown one is
    422) and ``object_id``, ``actor`` (a username, ``system`` or ``public``), ``since``."""
    if not is_center_staff(request.auth):
        raise Http404
    entries = AuditEntry.objects.select_related("actor", "content_type").order_by("-at", "-id")
    return filters.filter(entries)
