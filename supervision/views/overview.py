"""The progress dashboard (「実施済／予定」), the planning calendar and the case-meeting goal."""

import datetime as dt

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import requested_fiscal_year
from core.demo import is_invented
from core.fiscal import fiscal_year_end, fiscal_year_label, fiscal_year_of, today
from core.inputs import date_message
from core.pages import answer_status, submit
from directory.decorators import staff_required
from directory.permissions import is_center_staff
from supervision import charts, maps, planning, queries, services
from supervision.dashboard import (
    TO_RECORD_ALL,
    TO_RECORD_SHOWN,
    UPCOMING_SHOWN,
    first_visits,
    target_rows,
)
from supervision.forms import (
    SERVICE_FIELDS,
    CaseMeetingForm,
    FilterForm,
)
from supervision.models import Target, Visit
from supervision.permissions import (
    can_plan_visits,
    can_record_case_meeting,
    target_scope_q,
)


def _filtered(form, targets):
    """The targets the dashboard's filters leave, and its fiscal year and as-of date: a past
    year is shown as at its end, the current one as of today."""
    as_of, fiscal_year = None, None
    if form.is_valid():
        data = form.cleaned_data
        as_of, fiscal_year = data["as_of"], data["fiscal_year"]
        if data["block"]:
            targets = targets.in_block(data["block"].pk)
        if data["district"]:
            targets = targets.in_district(data["district"].pk)
        if data["kind"]:
            targets = targets.of_kind(data["kind"])
    if as_of is None:
        as_of = today() if fiscal_year is None else min(today(), fiscal_year_end(fiscal_year))
    return targets, fiscal_year or fiscal_year_of(as_of), as_of


def _progress_charts(items, *, fiscal_year: int, as_of: dt.date) -> list:
    """Planned vs done for the rows of this page, and against the previous year as of the same
    date for the same targets."""
    if not items:
        return []
    previous = queries.progress(
        fiscal_year=fiscal_year - 1,
        as_of=charts.a_year_before(as_of),
        targets=Target.objects.filter(pk__in=[item.target_id for item in items]),
    )
    return [
        charts.progress_chart(items, fiscal_year=fiscal_year, as_of=as_of),
        charts.comparison_chart(items, previous, fiscal_year=fiscal_year, as_of=as_of),
    ]


@staff_required
def dashboard(request):
    """Every target the user may see in the fiscal year, with its "2 / 5" bar or without a
    plan, at-risk first, filterable by state with the count of each, one page of rows at a
    time (supervision.dashboard); the fiscal year's visits waiting to be recorded and the next
    ones (same filters)."""
    form = FilterForm(request.GET or None, initial={"fiscal_year": fiscal_year_of(today())})
    targets, fiscal_year, as_of = _filtered(form, Target.objects.visible_to(request.user))
    now = timezone.now()
    visits = Visit.objects.visible_to(request.user).with_people().open().in_fiscal_year(fiscal_year)
    if target_scope_q(request.user) is not None or (
        form.is_valid() and any(form.cleaned_data[name] for name in ("block", "district", "kind"))
    ):
        # Only when narrowed: over every target the IN (…) makes the database read the
        # fiscal year's visits through the target index and sort them (50x slower).
        visits = visits.filter(target__in=targets)
    query = request.GET.copy()
    for key in ("state", "page"):
        query.pop(key, None)
    rows = target_rows(
        fiscal_year=fiscal_year,
        as_of=as_of,
        targets=targets,
        state=request.GET.get("state", ""),
        page=request.GET.get("page", 1),
    )
    # The charts draw the rows of this page (at national scale one bar per target would be
    # 1,741 bars), the previous year as of the same date for the same targets.
    items = [row.progress for row in rows.page if row.progress]
    return render(
        request,
        "supervision/dashboard.html",
        {
            "form": form,
            "rows": rows,
            "query": query.urlencode(),
            # Translated once, not once per row (rows are most of the page's cost).
            "labels": {
                # Column headings, and each cell's label when the table stacks on a phone.
                "done_planned": _("Done / planned"),
                "scheduled": _("Scheduled"),
                "last_visit": _("Last visit"),
                "state": _("State"),
                "to_record": _("to record"),
                "at_risk": _("at risk"),
                "on_track": _("on track"),
                "plan": _("Plan"),
                "no_plan": _("no plan"),
            },
            "plan_url": f"{reverse('supervision:plan_new')}?fy={fiscal_year}",
            "progress_charts": _progress_charts(items, fiscal_year=fiscal_year, as_of=as_of),
            "invented_year": is_invented(fiscal_year),
            "as_of": as_of,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            # The first few (a phone's screen, issue #21), then 「さらに n 件」.
            "to_record": first_visits(
                visits.filter(starts_at__lt=now).order_by("starts_at"),
                TO_RECORD_ALL if request.GET.get("records") == "all" else TO_RECORD_SHOWN,
            ),
            "upcoming": first_visits(
                visits.filter(starts_at__gte=now).order_by("starts_at"), UPCOMING_SHOWN
            ),
            "can_plan": can_plan_visits(request.user),
            "next": request.get_full_path(),
            "cadences": queries.liaison_cadence(fiscal_year=fiscal_year, as_of=as_of),
        },
    )


@staff_required
def planning_calendar(request):
    """Month or week calendar of trainings, liaison meetings, visits and lecturer dispatches,
    with national holidays and 年末年始 marked; filters by block, kind and staff member."""
    view = planning.CalendarView.from_query(request.GET)
    if view.date_refused:
        flash.warning(request, date_message())
    return render(
        request,
        "supervision/planning.html",
        {
            "view": view,
            "days": planning.calendar_days(view, user=request.user),
            "filters": planning.filter_choices(),
            "can_plan": can_plan_visits(request.user),
        },
    )


# --- case-meeting goal --------------------------------------------------------------------


@staff_required
def case_meeting_goal(request):
    """The prefecture's goal: every municipality holds case meetings. Count out of all and the
    list of those without, for a fiscal year; staff record case meetings held without a
    visit."""
    fiscal_year = requested_fiscal_year(request)
    form = CaseMeetingForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda data: services.record_case_meeting(
            actor=request.user,
            municipality_id=data["municipality"].pk,
            held_on=data["held_on"],
            remarks=data["remarks"],
        ),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        flash.success(request, _("The case meeting is recorded."))
        return redirect(f"{reverse('supervision:case_meetings')}?fy={fiscal_year}")
    goal = queries.case_meeting_goal(fiscal_year=fiscal_year)
    target = queries.goal_target(goal)
    fiscal_year_end = dt.date(fiscal_year + 1, 3, 31)
    # Progress of every municipality is the center's view (others see their own on the
    # dashboard); everyone sees which municipalities held a case meeting.
    by_progress = request.GET.get("map") == "progress" and is_center_staff(request.user)
    return render(
        request,
        "supervision/case_meetings.html",
        {
            "goal": goal,
            "target": target,
            "target_year": target and fiscal_year_label(target.fiscal_year, request.LANGUAGE_CODE),
            "prefecture_map": (
                maps.progress_map(fiscal_year=fiscal_year, as_of=min(today(), fiscal_year_end))
                if by_progress
                else maps.case_meeting_map(goal, request.user)
            ),
            "map_colors": (
                ("progress" if by_progress else "case_meetings")
                if is_center_staff(request.user)
                else ""
            ),
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "form": form,
            "can_record": can_record_case_meeting(request.user),
        },
        status=answer_status(request),
    )
