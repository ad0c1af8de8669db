"""A target's year and its plan; a new plan."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_label
from core.forms import add_service_errors
from directory.decorators import staff_required
from supervision import queries, services
from supervision.forms import (
    SERVICE_FIELDS,
    NewPlanForm,
    PlanForm,
)
from supervision.models import Plan, PlanRevision, Target
from supervision.permissions import (
    can_plan_visits,
    can_read_confidential_notes,
)
from supervision.views.common import (
    deny_unless,
    requested_as_of,
    requested_fiscal_year,
    visible_visits,
)


@staff_required
def target_detail(request, pk):
    """One target's fiscal year: its progress, its plan with every revision, its visits."""
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related(
            "municipality", "district", "organization"
        ),
        pk=pk,
    )
    fiscal_year = requested_fiscal_year(request)
    as_of = requested_as_of(request, fiscal_year)
    plan = Plan.objects.filter(target=target, fiscal_year=fiscal_year).first()
    [progress] = queries.progress(
        fiscal_year=fiscal_year, as_of=as_of, targets=Target.objects.filter(pk=target.pk)
    ) or [None]
    form = PlanForm(request.POST or None, initial={"planned": plan.planned if plan else 0})
    if request.method == "POST":
        deny_unless(can_plan_visits(request.user))
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
                add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
            "visits": visible_visits(request).filter(target=target).in_fiscal_year(fiscal_year),
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
    deny_unless(can_plan_visits(request.user))
    form = NewPlanForm(
        request.POST or None,
        initial={
            "fiscal_year": requested_fiscal_year(request),
            "target": request.GET.get("target"),
        },
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
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
