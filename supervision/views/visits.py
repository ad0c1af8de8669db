"""A visit and its few-click actions (complete, cancel, postpone, revise), scheduling one visit or a series, and lecturer dispatches."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.dates import when
from core.errors import Conflict
from core.forms import add_service_errors
from core.redirects import safe_next
from directory.decorators import staff_required
from supervision import queries, services
from supervision.forms import (
    SERVICE_FIELDS,
    CancelForm,
    CompleteForm,
    DispatchForm,
    PostponeForm,
    ReopenForm,
    SeriesForm,
    VisitDetailsForm,
    VisitForm,
)
from supervision.models import LecturerDispatch, Visit
from supervision.permissions import (
    can_manage_dispatches,
    can_manage_visit,
    can_plan_visits,
    can_read_confidential_notes,
    can_reopen_visit,
)
from supervision.views.common import deny_unless, visible_visits


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
    deny_unless(can_plan_visits(request.user))
    initial = {"target": request.GET.get("target"), "staff": [request.user.pk]}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.schedule_visit(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
    deny_unless(can_plan_visits(request.user))
    form = SeriesForm(
        request.POST or None,
        initial={"target": request.GET.get("target"), "staff": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visits = services.plan_visit_series(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
        # 実施済 only once the visit has begun (complete_visit refuses a future one).
        "can_complete": visit.starts_at <= timezone.now(),
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
        "next": safe_next(request, ""),
    }
    return render(request, "supervision/visit_detail.html", context, status=status)


@staff_required
def visit_detail(request, pk):
    return _render_visit(request, get_object_or_404(visible_visits(request), pk=pk))


def _visit_action(request, pk, form_class, form_name, act, *, allowed=can_manage_visit):
    visit = get_object_or_404(visible_visits(request), pk=pk)
    deny_unless(allowed(request.user, visit))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(visit, form)
        except ValidationError as error:
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
        except Conflict as error:
            # The visit's state forbids it; its action forms may not even be shown any more.
            flash.error(request, error.message)
        else:
            flash.success(request, message)
            return redirect(safe_next(request, reverse("supervision:visit", args=[pk])))
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
        return _("The visit is postponed to %(date)s.") % {"date": when(visit.starts_at)}

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


@staff_required
def dispatch_new(request):
    deny_unless(can_manage_dispatches(request.user))
    form = DispatchForm(request.POST or None, initial={"staff": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.record_lecturer_dispatch(
                **form.service_arguments(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
