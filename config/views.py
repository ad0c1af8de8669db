"""Pages that belong to no single app: the staff home page and the health check."""

import datetime as dt

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_q.brokers import get_broker

from core.fiscal import TOKYO, fiscal_year_label, fiscal_year_of, today
from directory.permissions import is_center_staff, role_of
from notifications.models import Dispatch
from supervision.models import Visit
from training.models import Event

UPCOMING = 6


def _staff_start(user) -> dict:
    """What a staff member sees first: what is on in the next two weeks and, for center staff,
    what needs attention. A fixed handful of queries."""
    now = timezone.now()
    horizon = dt.datetime.combine(today() + dt.timedelta(days=14), dt.time(), TOKYO)
    events = list(
        Event.objects.visible_to(user)
        .not_cancelled()
        .upcoming(now)
        .filter(starts_at__lt=horizon)
        .order_by("starts_at")[:UPCOMING]
    )
    visits = list(
        Visit.objects.visible_to(user)
        .open()
        .filter(starts_at__gte=now, starts_at__lt=horizon)
        .select_related("target__municipality", "target__district", "target__organization")
        .order_by("starts_at")[:UPCOMING]
    )
    context = {"events": events, "visits": visits}
    if is_center_staff(user):
        context["failed_messages"] = Dispatch.objects.problems().count()
    return context


def home(request):
    """Public visitors see what Sasaeru is and where to log in; staff see their start page."""
    fiscal_year = fiscal_year_of(today())
    role = role_of(request.user)
    return render(
        request,
        "home.html",
        {
            "role": role,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            **(_staff_start(request.user) if role else {}),
        },
    )


@never_cache
def healthz(request):
    """200 when the database and the job queue answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        checks["queue"] = "ok" if get_broker().ping() else "error: no answer"
    except Exception as exc:
        checks["queue"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
