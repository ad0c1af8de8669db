"""Staff pages of supervision: the progress dashboard (「実施済／予定」), a target's year, a
visit and its few-click actions (complete, cancel, postpone), scheduling one visit or a series,
plans and their revisions, the planning calendar, the case-meeting goal, lecturer dispatches
and the block liaison meetings with their cadence.

Views are wiring: find the object in what the user may see (else 404), check the permission
(else 403), parse a form, call one service, redirect."""

import datetime as dt

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.errors import Conflict
from core.fiscal import fiscal_year_label, fiscal_year_of, today
from directory.decorators import staff_required
from directory.permissions import is_center_staff
from directory.models import Block, User
from supervision import planning, queries, services
from supervision.dashboard import target_rows
from supervision.forms import (
    CancelForm,
    CaseMeetingForm,
    CompleteForm,
    DispatchForm,
    FilterForm,
    LiaisonMeetingForm,
    NewPlanForm,
    PlanForm,
    PostponeForm,
    ReopenForm,
    SeriesForm,
    VisitDetailsForm,
    VisitForm,
    add_service_errors,
)
from supervision.models import (
    LecturerDispatch,
    MeetingCadence,
    Plan,
    PlanRevision,
    Target,
    Visit,
)
from supervision.permissions import (
    can_manage_dispatches,
    can_manage_visit,
    can_plan_liaison_meetings,
    can_plan_visits,
    can_read_confidential_notes,
    can_record_case_meeting,
    can_reopen_visit,
)

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


# --- dashboard ----------------------------------------------------------------------------


@staff_required
def dashboard(request):
    """Every target the user may see in the fiscal year, with its "2 / 5" bar or without a
    plan, at-risk first, filterable by state with the count of each, one page of rows at a
    time (supervision.dashboard); the fiscal year's visits waiting to be recorded and the next
    ones (same filters)."""
    form = FilterForm(request.GET or None)
    as_of, fiscal_year = None, None
    targets = Target.objects.visible_to(request.user)
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
        # A past year is shown as at its end, the current one as of today.
        as_of = today() if fiscal_year is None else min(today(), dt.date(fiscal_year + 1, 3, 31))
    fiscal_year = fiscal_year or fiscal_year_of(as_of)
    now = timezone.now()
    visits = _visits(request).open().in_fiscal_year(fiscal_year).filter(target__in=targets)
    query = request.GET.copy()
    for key in ("state", "page"):
        query.pop(key, None)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "form": form,
            "rows": target_rows(
                fiscal_year=fiscal_year,
                as_of=as_of,
                targets=targets,
                state=request.GET.get("state", ""),
                page=request.GET.get("page", 1),
            ),
            "query": query.urlencode(),
            "as_of": as_of,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "to_record": list(visits.filter(starts_at__lt=now).order_by("starts_at")[:20]),
            "upcoming": list(visits.filter(starts_at__gte=now).order_by("starts_at")[:10]),
            "can_plan": can_plan_visits(request.user),
            "next": request.get_full_path(),
            "cadences": queries.liaison_cadence(fiscal_year=fiscal_year, as_of=as_of),
            "goal": queries.case_meeting_goal(fiscal_year=fiscal_year),
        },
    )


# --- targets and plans --------------------------------------------------------------------


@staff_required
def target_detail(request, pk):
    """One target's fiscal year: its progress, its plan with every revision, its visits."""
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related(
            "municipality", "district", "organization"
        ),
        pk=pk,
    )
    fiscal_year = _fiscal_year(request)
    as_of = _as_of(request, fiscal_year)
    plan = Plan.objects.filter(target=target, fiscal_year=fiscal_year).first()
    [progress] = queries.progress(
        fiscal_year=fiscal_year, as_of=as_of, targets=Target.objects.filter(pk=target.pk)
    ) or [None]
    form = PlanForm(request.POST or None, initial={"planned": plan.planned if plan else 0})
    if request.method == "POST":
        _deny_unless(can_plan_visits(request.user))
        if form.is_valid():
            try:
                services.set_plan(
                    target=target,
                    fiscal_year=fiscal_year,
                    planned=form.cleaned_data["planned"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                flash.success(request, _("The plan is saved."))
                return redirect(
                    f"{reverse('supervision:target', args=[target.pk])}?fy={fiscal_year}"
                )
    return render(
        request,
        "supervision/target_detail.html",
        {
            "target": target,
            "plan": plan,
            "progress": progress,
            "revisions": (
                PlanRevision.objects.filter(plan=plan).select_related("revised_by") if plan else []
            ),
            "visits": _visits(request).filter(target=target).in_fiscal_year(fiscal_year),
            "form": form,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "as_of": as_of,
            "can_plan": can_plan_visits(request.user),
            "can_read_notes": can_read_confidential_notes(request.user),
        },
        status=422 if request.method == "POST" else 200,
    )


@staff_required
def plan_new(request):
    """Set a plan for any target and fiscal year."""
    _deny_unless(can_plan_visits(request.user))
    form = NewPlanForm(
        request.POST or None,
        initial={"fiscal_year": _fiscal_year(request), "target": request.GET.get("target")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_plan(
                target=data["target"],
                fiscal_year=data["fiscal_year"],
                planned=data["planned"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The plan is saved."))
            return redirect(
                f"{reverse('supervision:target', args=[data['target'].pk])}?fy={data['fiscal_year']}"
            )
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Plan visits for a fiscal year")},
        status=422 if request.method == "POST" else 200,
    )


# --- visits -------------------------------------------------------------------------------


def _show_warnings(request, visit: Visit) -> None:
    for warning in queries.scheduling_warnings(
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        staff_ids=[user.pk for user in visit.staff.all()],
        exclude_visit_id=visit.pk,
    ):
        flash.warning(request, warning.message)


@staff_required
def visit_new(request):
    """Schedule one visit. Double bookings, holidays and 年末年始 are warned about after saving."""
    _deny_unless(can_plan_visits(request.user))
    initial = {"target": request.GET.get("target"), "staff": [request.user.pk]}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.schedule_visit(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The visit is scheduled."))
            _show_warnings(request, visit)
            return redirect("supervision:visit", pk=visit.pk)
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Schedule a visit")},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
def series_new(request):
    """Schedule a series of visits at once (five review meetings over the year)."""
    _deny_unless(can_plan_visits(request.user))
    form = SeriesForm(
        request.POST or None,
        initial={"target": request.GET.get("target"), "staff": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visits = services.plan_visit_series(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("%(count)d visits are scheduled.") % {"count": len(visits)})
            for visit in visits:
                _show_warnings(request, visit)
            return redirect(
                f"{reverse('supervision:target', args=[visits[0].target_id])}"
                f"?fy={visits[0].fiscal_year}"
            )
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Schedule a series of visits")},
        status=422 if request.method == "POST" else 200,
    )


VISIT_ACTIONS = ("complete", "postpone", "cancel", "reopen", "details")


def _render_visit(request, visit, *, status=200, open_form="", **forms):
    """The visit and its actions, each a button that opens its form (``open_form``, or
    ``?action=`` from a link, opens one at once)."""
    local = timezone.localtime(visit.starts_at)
    can_read_notes = can_read_confidential_notes(request.user)
    action = request.GET.get("action", "")
    context = {
        "visit": visit,
        "postponements": visit.postponements.all(),
        "reopenings": (
            audit.history(visit).filter(action="supervision.visit.reopened")
            if can_read_notes
            else []
        ),
        "can_manage": can_manage_visit(request.user, visit),
        "can_reopen": can_reopen_visit(request.user, visit),
        "can_read_notes": can_read_notes,
        "open_form": open_form or (action if action in VISIT_ACTIONS else ""),
        "complete_form": forms.get("complete_form")
        or CompleteForm(
            initial={
                "public_summary": visit.public_summary,
                "confidential_notes": visit.confidential_notes,
            }
        ),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "postpone_form": forms.get("postpone_form")
        or PostponeForm(initial={"time": local.time().strftime("%H:%M")}),
        "details_form": forms.get("details_form")
        or VisitDetailsForm(
            initial={
                "place": visit.place,
                "staff": [user.pk for user in visit.staff.all()],
                "public_summary": visit.public_summary,
                "confidential_notes": visit.confidential_notes,
            }
        ),
        "next": _next_url(request, ""),
    }
    return render(request, "supervision/visit_detail.html", context, status=status)


@staff_required
def visit_detail(request, pk):
    return _render_visit(request, get_object_or_404(_visits(request), pk=pk))


def _visit_action(request, pk, form_class, form_name, act, *, allowed=can_manage_visit):
    visit = get_object_or_404(_visits(request), pk=pk)
    _deny_unless(allowed(request.user, visit))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(visit, form)
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as error:
            # The visit's state forbids it; its action forms may not even be shown any more.
            flash.error(request, error.message)
        else:
            flash.success(request, message)
            return redirect(_next_url(request, reverse("supervision:visit", args=[pk])))
    return _render_visit(
        request,
        visit,
        status=422,
        open_form=form_name.removesuffix("_form"),
        **{form_name: form},
    )


@staff_required
@require_POST
def visit_complete(request, pk):
    def act(visit, form):
        services.complete_visit(
            visit=visit,
            public_summary=form.cleaned_data["public_summary"],
            confidential_notes=form.cleaned_data["confidential_notes"],
            by=request.user,
        )
        return _("%(target)s: the visit is recorded as done.") % {"target": visit.target.name}

    return _visit_action(request, pk, CompleteForm, "complete_form", act)


@staff_required
@require_POST
def visit_cancel(request, pk):
    def act(visit, form):
        services.cancel_visit(visit=visit, reason=form.cleaned_data["reason"], by=request.user)
        return _("The visit is cancelled.")

    return _visit_action(request, pk, CancelForm, "cancel_form", act)


@staff_required
@require_POST
def visit_postpone(request, pk):
    def act(visit, form):
        visit = services.postpone_visit(
            visit=visit,
            new_starts_at=form.new_starts_at(),
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        _show_warnings(request, visit)
        return _("The visit is postponed to %(date)s.") % {"date": visit.date}

    return _visit_action(request, pk, PostponeForm, "postpone_form", act)


@staff_required
@require_POST
def visit_revise(request, pk):
    def act(visit, form):
        services.revise_visit_details(
            visit=visit,
            place=form.cleaned_data["place"],
            staff=list(form.cleaned_data["staff"]),
            public_summary=form.cleaned_data["public_summary"],
            confidential_notes=form.cleaned_data["confidential_notes"],
            by=request.user,
        )
        return _("The visit is saved.")

    return _visit_action(request, pk, VisitDetailsForm, "details_form", act)


@staff_required
@require_POST
def visit_reopen(request, pk):
    """Undo 「実施済」 with a reason (kept in the visit's history)."""

    def act(visit, form):
        services.reopen_visit(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
        return _("The visit is open again: it no longer counts as done.")

    return _visit_action(request, pk, ReopenForm, "reopen_form", act, allowed=can_reopen_visit)


# --- planning calendar --------------------------------------------------------------------


@staff_required
def planning_calendar(request):
    """Month or week calendar of trainings, liaison meetings, visits and lecturer dispatches,
    with national holidays and 年末年始 marked; filters by block, kind and staff member."""
    view = planning.CalendarView.from_query(request.GET)
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
    fiscal_year = _fiscal_year(request)
    form = CaseMeetingForm(request.POST or None)
    if request.method == "POST":
        _deny_unless(can_record_case_meeting(request.user))
        if form.is_valid():
            try:
                services.record_case_meeting(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                flash.success(request, _("The case meeting is recorded."))
                return redirect(f"{reverse('supervision:case_meetings')}?fy={fiscal_year}")
    return render(
        request,
        "supervision/case_meetings.html",
        {
            "goal": queries.case_meeting_goal(fiscal_year=fiscal_year),
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "form": form,
            "can_record": can_record_case_meeting(request.user),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- lecturer dispatches ------------------------------------------------------------------


@staff_required
def dispatch_new(request):
    _deny_unless(can_manage_dispatches(request.user))
    form = DispatchForm(request.POST or None, initial={"staff": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.record_lecturer_dispatch(
                **form.service_arguments(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The lecturer dispatch is on the calendar."))
            for warning in queries.scheduling_warnings(
                starts_at=dispatch.starts_at,
                ends_at=dispatch.ends_at,
                staff_ids=[user.pk for user in form.cleaned_data["staff"]],
                exclude_dispatch_id=dispatch.pk,
            ):
                flash.warning(request, warning.message)
            return redirect(
                f"{reverse('supervision:planning')}?date={timezone.localdate(dispatch.starts_at)}"
            )
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Record a lecturer dispatch")},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
def dispatch_detail(request, pk):
    """One lecturer dispatch as the planning calendar links to it."""
    dispatch = get_object_or_404(
        LecturerDispatch.objects.visible_to(request.user)
        .select_related("municipality")
        .prefetch_related("staff"),
        pk=pk,
    )
    return render(request, "supervision/dispatch_detail.html", {"dispatch": dispatch})


# --- block liaison meetings ---------------------------------------------------------------


@staff_required
def liaison_meetings(request):
    """Per block: held / expected meetings in the fiscal year, scheduled ones apart, flagged
    when no second meeting is scheduled by the start of the third quarter."""
    fiscal_year = _fiscal_year(request)
    as_of = _as_of(request, fiscal_year)
    return render(
        request,
        "supervision/liaison_meetings.html",
        {
            "cadences": queries.liaison_cadence(fiscal_year=fiscal_year, as_of=as_of),
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "as_of": as_of,
            "can_plan": can_plan_liaison_meetings(request.user),
            # Rosters (attendance) are for center staff only.
            "can_see_rosters": is_center_staff(request.user),
            "default_expected": MeetingCadence.DEFAULT_EXPECTED,
        },
    )


@staff_required
@require_POST
def liaison_expected(request, block_id):
    _deny_unless(can_plan_liaison_meetings(request.user))
    block = get_object_or_404(Block.objects.visible_to(request.user), pk=block_id)
    fiscal_year = _fiscal_year(request)
    try:
        expected = int(request.POST.get("expected", ""))
        services.set_meeting_cadence(
            block=block, fiscal_year=fiscal_year, expected=expected, by=request.user
        )
    except ValueError:
        flash.error(request, _("Give a number."))
    except ValidationError as error:
        flash.error(request, _error_text(error))
    else:
        flash.success(request, _("The expected number of meetings is saved."))
    return redirect(f"{reverse('supervision:liaison_meetings')}?fy={fiscal_year}")


@staff_required
def liaison_meeting_new(request):
    """Plan a block liaison meeting (a training Event of kind liaison meeting)."""
    _deny_unless(can_plan_liaison_meetings(request.user))
    form = LiaisonMeetingForm(
        request.POST or None,
        initial={"block": request.GET.get("block"), "staff": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.plan_liaison_meeting(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The liaison meeting is planned."))
            for warning in queries.scheduling_warnings(
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                staff_ids=[user.pk for user in form.cleaned_data["staff"]],
            ):
                flash.warning(request, warning.message)
            return redirect(
                f"{reverse('supervision:liaison_meetings')}?fy={fiscal_year_of(event.starts_at)}"
            )
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Plan a block liaison meeting")},
        status=422 if request.method == "POST" else 200,
    )
