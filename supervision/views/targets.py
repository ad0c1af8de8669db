"""A target's year and its plan; a new plan."""

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import requested_as_of, requested_fiscal_year
from core.fiscal import fiscal_year_label
from core.pages import answer_status, form_page, submit
from core.usecases import allow, load_visible
from directory.decorators import staff_required
from supervision import queries, services
from supervision.forms import (
    SERVICE_FIELDS,
    NewPlanForm,
    PlanForm,
)
from supervision.models import Plan, PlanRevision, Target, Visit
from supervision.permissions import (
    can_plan_visits,
    can_read_confidential_notes,
)


@staff_required
def target_detail(request, pk):
    """One target's fiscal year: its progress, its plan with every revision, its visits."""
    target = load_visible(Target.objects.visible_to(request.user).with_names(), pk)
    fiscal_year = requested_fiscal_year(request)
    as_of = requested_as_of(request, fiscal_year)
    plan = Plan.objects.filter(target=target, fiscal_year=fiscal_year).first()
    [progress] = queries.progress(
        fiscal_year=fiscal_year, as_of=as_of, targets=Target.objects.filter(pk=target.pk)
    ) or [None]
    form = PlanForm(request.POST or None, initial={"planned": plan.planned if plan else 0})
    outcome = submit(
        request,
        form,
        lambda data: services.set_plan(
            actor=request.user, target_id=target.pk, fiscal_year=fiscal_year, **data
        ),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        flash.success(request, _("The plan is saved."))
        return redirect(f"{reverse('supervision:target', args=[target.pk])}?fy={fiscal_year}")
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
            "visits": Visit.objects.visible_to(request.user)
            .with_people()
            .filter(target=target)
            .in_fiscal_year(fiscal_year),
            "form": form,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "as_of": as_of,
            "can_plan": can_plan_visits(request.user),
            "can_read_notes": can_read_confidential_notes(request.user),
        },
        status=answer_status(request),
    )


@staff_required
def plan_new(request):
    """Set a plan for any target and fiscal year."""
    allow(request.user, can_plan_visits(request.user))
    form = NewPlanForm(
        request.POST or None,
        initial={
            "fiscal_year": requested_fiscal_year(request),
            "target": request.GET.get("target"),
        },
    )
    outcome = submit(
        request,
        form,
        lambda data: services.set_plan(
            actor=request.user,
            target_id=data["target"].pk,
            fiscal_year=data["fiscal_year"],
            planned=data["planned"],
            reason=data["reason"],
        ),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        plan = outcome.value
        flash.success(request, _("The plan is saved."))
        return redirect(
            f"{reverse('supervision:target', args=[plan.target_id])}?fy={plan.fiscal_year}"
        )
    return form_page(
        request,
        "supervision/form.html",
        {"form": form, "title": _("Plan visits for a fiscal year")},
    )
