"""What the supervision pages share: the fiscal year and as-of date of the query, the way back, the visible visits, refusals."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Conflict
from core.fiscal import fiscal_year_of, today
from directory.models import User
from supervision.models import Visit

TARGET_NAMES = ("target__municipality", "target__district", "target__organization")


def _deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _fiscal_year(request) -> int:
    try:
        return int(request.GET.get("fy") or fiscal_year_of(today()))
    except ValueError:
        return fiscal_year_of(today())


def _as_of(request, fiscal_year: int) -> dt.date:
    """The as-of date of the query (``as_of``), else today, at most the end of the year."""
    try:
        chosen = dt.date.fromisoformat(request.GET.get("as_of") or "")
    except ValueError:
        chosen = today()
    return min(chosen, dt.date(fiscal_year + 1, 3, 31))


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _visits(request):
    return (
        Visit.objects.visible_to(request.user)
        .select_related(*TARGET_NAMES)
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("id")))
    )


def _error_text(error) -> str:
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.messages)
