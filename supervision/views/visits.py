"""A visit and its few-click actions (complete, cancel, postpone, revise, reopen), scheduling
one visit or a series. Each action is one service call (``core.pages.submit``); the service
finds the visit and decides who may."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.dates import when
from core.pages import form_page, submit
from core.redirects import safe_next
from core.usecases import allow, load_visible
from directory.decorators import staff_required
from supervision import queries, services
from supervision.forms import (
    SERVICE_FIELDS,
    CancelForm,
    CompleteForm,
    PostponeForm,
    ReopenForm,
    SeriesForm,
    VisitDetailsForm,
    VisitForm,
    combine,
    ids,
)
from supervision.models import Visit
from supervision.permissions import (
    can_manage_visit,
    can_plan_visits,
    can_read_confidential_notes,
    can_reopen_visit,
)


def show_warnings(request, *, starts_at, ends_at, staff_ids, **exclude) -> None:
    """What the new time clashes with (holidays, 年末年始, staff already booked), as warnings."""
    for warning in queries.scheduling_warnings(
        starts_at=starts_at, ends_at=ends_at, staff_ids=staff_ids, **exclude
    ):
        flash.warning(request, warning.message)


def _show_warnings(request, visit: Visit) -> None:
    show_warnings(
        request,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        staff_ids=ids(visit.staff.all()),
        exclude_visit_id=visit.pk,
    )


@staff_required
def visit_new(request):
    """Schedule one visit. Double bookings, holidays and 年末年始 are warned about after saving."""
    allow(request.user, can_plan_visits(request.user))
    initial = {"target": request.GET.get("target"), "staff": [request.user.pk]}
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = VisitForm(request.POST or None, initial=initial)
    outcome = submit(
        request,
        form,
        lambda data: services.schedule_visit(actor=request.user, **form.service_arguments()),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        flash.success(request, _("The visit is scheduled."))
        _show_warnings(request, outcome.value)
        return redirect("supervision:visit", pk=outcome.value.pk)
    return form_page(
        request, "supervision/form.html", {"form": form, "title": _("Schedule a visit")}
    )


@staff_required
def series_new(request):
    """Schedule a series of visits at once (five review meetings over the year)."""
    allow(request.user, can_plan_visits(request.user))
    form = SeriesForm(
        request.POST or None,
        initial={"target": request.GET.get("target"), "staff": [request.user.pk]},
    )
    outcome = submit(
        request,
        form,
        lambda data: services.plan_visit_series(actor=request.user, **form.service_arguments()),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        visits = outcome.value
        flash.success(request, _("%(count)d visits are scheduled.") % {"count": len(visits)})
        for visit in visits:
            _show_warnings(request, visit)
        return redirect(
            f"{reverse('supervision:target', args=[visits[0].target_id])}"
            f"?fy={visits[0].fiscal_year}"
        )
    return form_page(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Schedule a series of visits")},
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
                "staff": ids(visit.staff.all()),
                "public_summary": visit.public_summary,
                "confidential_notes": visit.confidential_notes,
            }
        ),
        "next": safe_next(request, ""),
    }
    return render(request, "supervision/visit_detail.html", context, status=status)


def _visible_visit(request, pk) -> Visit:
    return load_visible(Visit.objects.visible_to(request.user).with_people(), pk)


@staff_required
def visit_detail(request, pk):
    return _render_visit(request, _visible_visit(request, pk))


def _visit_action(request, pk, form_class, form_name, act):
    """One action's form → its service (``act(data)`` returns the message to show) →
    the visit again; refused: the visit with the form open, 422."""
    form = form_class(request.POST)
    outcome = submit(request, form, act, aliases=SERVICE_FIELDS, conflict_as_message=True)
    if outcome.done:
        flash.success(request, outcome.value)
        return redirect(safe_next(request, reverse("supervision:visit", args=[pk])))
    return _render_visit(
        request,
        _visible_visit(request, pk),
        status=422,
        open_form=form_name.removesuffix("_form"),
        **{form_name: form},
    )


@staff_required
@require_POST
def visit_complete(request, pk):
    def act(data):
        visit = services.complete_visit(actor=request.user, visit_id=pk, **data)
        return _("%(target)s: the visit is recorded as done.") % {"target": visit.target.name}

    return _visit_action(request, pk, CompleteForm, "complete_form", act)


@staff_required
@require_POST
def visit_cancel(request, pk):
    def act(data):
        services.cancel_visit(actor=request.user, visit_id=pk, reason=data["reason"])
        return _("The visit is cancelled.")

    return _visit_action(request, pk, CancelForm, "cancel_form", act)


@staff_required
@require_POST
def visit_postpone(request, pk):
    def act(data):
        visit = services.postpone_visit(
            actor=request.user,
            visit_id=pk,
            new_starts_at=combine(data["date"], data["time"]),
            reason=data["reason"],
        )
        _show_warnings(request, visit)
        return _("The visit is postponed to %(date)s.") % {"date": when(visit.starts_at)}

    return _visit_action(request, pk, PostponeForm, "postpone_form", act)


@staff_required
@require_POST
def visit_revise(request, pk):
    def act(data):
        services.revise_visit_details(
            actor=request.user,
            visit_id=pk,
            place=data["place"],
            staff_ids=ids(data["staff"]),
            public_summary=data["public_summary"],
            confidential_notes=data["confidential_notes"],
        )
        return _("The visit is saved.")

    return _visit_action(request, pk, VisitDetailsForm, "details_form", act)


@staff_required
@require_POST
def visit_reopen(request, pk):
    """Undo 「実施済」 with a reason (kept in the visit's history)."""

    def act(data):
        services.reopen_visit(actor=request.user, visit_id=pk, reason=data["reason"])
        return _("The visit is open again: it no longer counts as done.")

    return _visit_action(request, pk, ReopenForm, "reopen_form", act)
