"""Pages that belong to no single app: the staff home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_q.brokers import get_broker

from directory.fiscal import fiscal_year_label, fiscal_year_of, today
from directory.permissions import role_of


def home(request):
    """Public visitors see what Sasaeru is and where to log in; staff see their start page."""
    fiscal_year = fiscal_year_of(today())
    return render(
        request,
        "home.html",
        {
            "role": role_of(request.user),
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
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
