"""What every use case shares: who acts, how the object is found and how a refusal is said.

A write service takes the acting user and ids (``cancel_visit(actor=user, visit_id=12,
reason=...)``), loads the object from what that actor may see, checks the permission, applies
the rules, writes the audit entry and plans reminders. The page and the API handler of a use
case are thin adapters over that one call (docs/architecture.md, "One call per use case").

- Absent or invisible to the actor → ``NotFound`` (an ``Http404``: a 404 page, a 404 JSON).
- Visible but not theirs to change → ``Forbidden`` (a ``PermissionDenied``: 403 on both doors).
- An id in the *input* that names nothing the actor may see → a ``ValidationError`` on that
  field (``load_visible(..., field="target_id")``: a 422 naming the field, a form message).

``SYSTEM`` acts for the program itself (the demo, scheduled jobs, management commands): it sees
every row, may do everything and is audited as nobody (``by=None``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _


class NotFound(Http404):
    """The object does not exist, or the actor may not see it (the same answer for both)."""


class Forbidden(PermissionDenied):
    """The actor sees the object but may not do this to it."""


class _System:
    """The program acting on its own (demo data, scheduled jobs): no person, no limits."""

    is_authenticated = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def is_system(actor) -> bool:
    return actor is SYSTEM


def audited_as(actor):
    """Who the audit trail names for the actor: the user, or nobody for ``SYSTEM``."""
    return None if actor is SYSTEM else actor


def visible(queryset: QuerySet, actor) -> QuerySet:
    """``queryset.visible_to(actor)``; every row for ``SYSTEM``."""
    return queryset if actor is SYSTEM else queryset.visible_to(actor)


def load_visible(queryset: QuerySet, pk, *, field: str = "", message: str = "") -> Model:
    """The row ``pk`` of ``queryset`` (already narrowed to what the actor may see, e.g. by
    ``visible``). Absent: ``NotFound``; with ``field`` (an id given in the input) a
    ValidationError naming that field with ``message``."""
    row = queryset.filter(pk=pk).first() if pk is not None else None
    if row is None:
        if field:
            raise ValidationError({field: message or _("Unknown value.")})
        raise NotFound
    return row


def allow(actor, allowed: bool) -> None:
    """Refuse unless ``allowed`` (``SYSTEM`` is always allowed): the one way a denial is said."""
    if actor is not SYSTEM and not allowed:
        raise Forbidden(_("You may not do this."))


def may(actor, check, *args) -> None:
    """``allow(actor, check(actor, *args))`` without calling ``check`` for ``SYSTEM``."""
    if actor is not SYSTEM:
        allow(actor, check(actor, *args))
