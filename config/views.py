"""Pages that belong to no single app: the home page by role and the health check."""

import datetime as dt

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_q.brokers import get_broker

from attendance.models import Roster
from core.fiscal import TOKYO, fiscal_year_label, fiscal_year_of, today
from directory.models import Municipality
from directory.permissions import Role, municipality_ids_in_scope, role_of
from notifications.models import Dispatch
from supervision import queries
from supervision.models import Target, Visit
from training.models import Event

UPCOMING = 6
AT_RISK_SHOWN = 8


def _public_start() -> dict:
    """Anyone: the trainings open for registration, soonest first (with their free seats)."""
    events = list(
        Event.objects.public()
        .upcoming()
        .with_counts()
        .select_related("course")
        .order_by("starts_at", "id")[:UPCOMING]
    )
    return {"trainings": events}


def _next_liaison_meetings(user, now) -> list:
    """The next liaison meeting of each block the user's municipalities belong to."""
    scope = municipality_ids_in_scope(user)
    blocks = Municipality.objects.filter(id__in=scope or ()).values("block_id")
    meetings = (
        Event.objects.visible_to(user)
        .liaison_meetings()
        .not_cancelled()
        .upcoming(now)
        .filter(block__in=blocks)
        .select_related("block")
        .order_by("starts_at")
    )
    first = {}
    for meeting in meetings[:20]:
        first.setdefault(meeting.block_id, meeting)
    return list(first.values())


def _area_start(user, fiscal_year: int) -> dict:
    """Municipal and health-office staff: their own targets' done / planned bar, their next
    visits, their blocks' next liaison meeting, and their calendar link in one click."""
    now = timezone.now()
    targets = Target.objects.visible_to(user)
    municipalities = list(Municipality.objects.filter(id__in=municipality_ids_in_scope(user)))
    visits = list(
        Visit.objects.visible_to(user)
        .open()
        .filter(starts_at__gte=now)
        .with_target()
        .order_by("starts_at")[:UPCOMING]
    )
    return {
        "progress": queries.progress(fiscal_year=fiscal_year, as_of=today(), targets=targets),
        "visits": visits,
        "liaison_meetings": _next_liaison_meetings(user, now),
        "municipalities": municipalities,
        "calendar_label": _("Calendar of %(name)s") % {"name": user},
    }


def _district_start(user, fiscal_year: int) -> dict:
    """Health-office staff: every municipality of their district with its done / planned (or
    no plan yet), the district's own and its organizations' progress, and the district as one
    calendar link; the next visits and liaison meetings as for municipal staff."""
    context = _area_start(user, fiscal_year)
    by_target = {item.target_id: item for item in context["progress"]}
    targets = dict(
        Target.objects.filter(municipality__district_id=user.district_id).values_list(
            "municipality_id", "pk"
        )
    )
    rows = [
        (municipality, by_target.pop(targets.get(municipality.pk), None))
        for municipality in context["municipalities"]
    ]
    context.update(
        district=user.district,
        district_rows=rows,
        other_progress=sorted(by_target.values(), key=lambda item: item.order),
        calendar_label=_("Calendar of %(name)s") % {"name": user.district},
    )
    return context


def _center_start(user, fiscal_year: int) -> dict:
    """Center staff: today (events with their check-in, visits to record), targets at risk,
    rosters to close, the week ahead. A fixed handful of queries."""
    now = timezone.now()
    day = today()
    midnight = dt.datetime.combine(day, dt.time(), TOKYO)
    tomorrow = midnight + dt.timedelta(days=1)
    week_end = midnight + dt.timedelta(days=8)
    events = Event.objects.visible_to(user).not_cancelled().select_related("block")
    visits = Visit.objects.visible_to(user).with_target()
    at_risk = [
        item for item in queries.progress(fiscal_year=fiscal_year, as_of=day) if item.at_risk
    ]
    return {
        "today_events": list(
            events.filter(starts_at__lt=tomorrow, ends_at__gt=midnight).order_by("starts_at")
        ),
        "to_record": list(
            visits.open()
            .in_fiscal_year(fiscal_year)
            .filter(starts_at__lt=now)
            .order_by("starts_at")[:UPCOMING]
        ),
        "at_risk": at_risk[:AT_RISK_SHOWN],
        "at_risk_count": len(at_risk),
        "rosters_to_close": list(
            Roster.objects.filter(closed_at__isnull=True, event__ends_at__lt=now)
            .exclude(event__status=Event.Status.CANCELLED)
            .select_related("event")
            .order_by("event__starts_at")[:UPCOMING]
        ),
        "week_events": list(
            events.filter(starts_at__gte=tomorrow, starts_at__lt=week_end).order_by("starts_at")
        ),
        "week_visits": list(
            visits.open()
            .filter(starts_at__gte=tomorrow, starts_at__lt=week_end)
            .order_by("starts_at")
        ),
        "failed_messages": Dispatch.objects.problems().count(),
        "today": day,
    }


def home(request):
    """The start page by role: the public's open trainings and the center's contacts; a
    municipality's or district's own progress; the center's day."""
    fiscal_year = fiscal_year_of(today())
    role = role_of(request.user)
    context = {
        "role": role,
        "fiscal_year": fiscal_year,
        "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
    }
    if role == Role.CENTER:
        context.update(_center_start(request.user, fiscal_year))
    elif role == Role.HEALTH_OFFICE:
        context.update(_district_start(request.user, fiscal_year))
    elif role:
        context.update(_area_start(request.user, fiscal_year))
    else:
        context.update(_public_start())
    return render(request, "home.html", context)


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
