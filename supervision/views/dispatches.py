"""Lecturer dispatches (講師派遣): record one, see it, change it, cancel it. Each write is one
service call; the service finds the dispatch and decides who may."""

import datetime as dt

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import form_page, submit
from core.usecases import allow, load_visible
from directory.decorators import staff_required
from supervision import services
from supervision.forms import SERVICE_FIELDS, DispatchCancelForm, DispatchForm, ids
from supervision.models import LecturerDispatch
from supervision.permissions import can_manage_dispatches
from supervision.views.visits import show_warnings


def _warn_and_go(request, dispatch: LecturerDispatch, staff_ids: list[int]):
    show_warnings(
        request,
        starts_at=dispatch.starts_at,
        ends_at=dispatch.ends_at,
        staff_ids=staff_ids,
        exclude_dispatch_id=dispatch.pk,
    )
    return redirect("supervision:dispatch", pk=dispatch.pk)


@staff_required
def dispatch_new(request):
    allow(request.user, can_manage_dispatches(request.user))
    form = DispatchForm(request.POST or None, initial={"staff": [request.user.pk]})
    outcome = submit(
        request,
        form,
        lambda data: services.record_lecturer_dispatch(
            actor=request.user, **form.service_arguments()
        ),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        flash.success(request, _("The lecturer dispatch is on the calendar."))
        show_warnings(
            request,
            starts_at=outcome.value.starts_at,
            ends_at=outcome.value.ends_at,
            staff_ids=ids(form.cleaned_data["staff"]),
            exclude_dispatch_id=outcome.value.pk,
        )
        return redirect(
            f"{reverse('supervision:planning')}?date={timezone.localdate(outcome.value.starts_at)}"
        )
    return form_page(
        request, "supervision/form.html", {"form": form, "title": _("Record a lecturer dispatch")}
    )


def _visible_dispatch(request, pk) -> LecturerDispatch:
    return load_visible(LecturerDispatch.objects.visible_to(request.user).with_staff_in_order(), pk)


def _edit_form(dispatch: LecturerDispatch, data=None) -> DispatchForm:
    starts_at = timezone.localtime(dispatch.starts_at)
    minutes = int((dispatch.ends_at - dispatch.starts_at) / dt.timedelta(minutes=1))
    return DispatchForm(
        data,
        auto_id="edit-%s",
        initial={
            "title": dispatch.title,
            "host": dispatch.host,
            "municipality": dispatch.municipality_id,
            "date": starts_at.date(),
            "time": starts_at.time().strftime("%H:%M"),
            "minutes": minutes,
            "place": dispatch.place,
            "staff": ids(dispatch.staff.all()),
        },
    )


def _render_dispatch(request, dispatch, *, status=200, open_form="", **forms):
    return render(
        request,
        "supervision/dispatch_detail.html",
        {
            "dispatch": dispatch,
            "can_manage": can_manage_dispatches(request.user),
            "open_form": open_form or request.GET.get("action", ""),
            "edit_form": forms.get("edit_form") or _edit_form(dispatch),
            "cancel_form": forms.get("cancel_form") or DispatchCancelForm(),
        },
        status=status,
    )


@staff_required
def dispatch_detail(request, pk):
    """One lecturer dispatch as the planning calendar links to it, with its edit and cancel
    forms for those who manage dispatches."""
    return _render_dispatch(request, _visible_dispatch(request, pk))


@staff_required
@require_POST
def dispatch_revise(request, pk):
    dispatch = _visible_dispatch(request, pk)
    form = _edit_form(dispatch, request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.revise_lecturer_dispatch(
            actor=request.user, dispatch_id=pk, **form.service_arguments()
        ),
        aliases=SERVICE_FIELDS,
        conflict_as_message=True,
    )
    if outcome.done:
        flash.success(request, _("The lecturer dispatch is saved."))
        return _warn_and_go(request, outcome.value, ids(form.cleaned_data["staff"]))
    return _render_dispatch(request, dispatch, status=422, open_form="edit", edit_form=form)


@staff_required
@require_POST
def dispatch_cancel(request, pk):
    form = DispatchCancelForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.cancel_lecturer_dispatch(actor=request.user, dispatch_id=pk),
        conflict_as_message=True,
    )
    if outcome.done:
        flash.success(request, _("The lecturer dispatch is cancelled."))
        return redirect("supervision:dispatch", pk=pk)
    return _render_dispatch(
        request, _visible_dispatch(request, pk), status=422, open_form="cancel", cancel_form=form
    )
