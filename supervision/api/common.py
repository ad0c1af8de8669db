"""What the supervision API's modules share: permission checks and the visible rows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from directory.models import User
from supervision.models import Target, Visit

NO_STAFF: list[int] = []
TARGET_NAMES = ("target__municipality", "target__district", "target__organization")


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


def visible_target(request, target_id: int, field: str = "target_id") -> Target:
    target = (
        Target.objects.visible_to(request.auth)
        .select_related("municipality", "district", "organization")
        .filter(pk=target_id)
        .first()
    )
    if target is None:
        raise ValidationError({field: _("Unknown target.")})
    return target


def center_staff(user_ids: list[int]) -> list[User]:
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(users) != len(set(user_ids)):
        raise ValidationError({"staff_ids": _("Unknown staff member.")})
    return users


def visits_for(request):
    return (
        Visit.objects.visible_to(request.auth)
        .select_related(*TARGET_NAMES)
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("id")))
    )


def visit_or_404(request, visit_id: int) -> Visit:
    return get_object_or_404(visits_for(request), pk=visit_id)
