"""What the supervision pages share: the fiscal year and as-of date of the query, the visible visits."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from core.dates import parse_as_of, parse_fiscal_year
from directory.models import User
from supervision.models import Visit

TARGET_NAMES = ("target__municipality", "target__district", "target__organization")


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def requested_fiscal_year(request) -> int:
    return parse_fiscal_year(request.GET.get("fy"), request=request)


def requested_as_of(request, fiscal_year: int) -> dt.date:
    return parse_as_of(request.GET.get("as_of"), fiscal_year=fiscal_year)


def visible_visits(request):
    return (
        Visit.objects.visible_to(request.user)
        .select_related(*TARGET_NAMES)
        .prefetch_related(Prefetch("staff", queryset=User.objects.order_by("id")))
    )
