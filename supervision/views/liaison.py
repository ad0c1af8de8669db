"""Block liaison meetings with their cadence."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fiscal import fiscal_year_label, fiscal_year_of
from core.forms import add_service_errors, error_text
from directory.decorators import staff_required
from directory.models import Block
from directory.permissions import is_center_staff
from supervision import queries, services
from supervision.forms import (
    SERVICE_FIELDS,
    LiaisonMeetingForm,
)
from supervision.models import MeetingCadence
from supervision.permissions import (
    can_plan_liaison_meetings,
)
from supervision.views.common import deny_unless, requested_as_of, requested_fiscal_year


@staff_required
def liaison_meetings(request):
    """Per block: held / expected meetings in the fiscal year, scheduled ones apart, flagged
    when no second meeting is scheduled by the start of the third quarter."""
    fiscal_year = requested_fiscal_year(request)
    as_of = requested_as_of(request, fiscal_year)
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
    deny_unless(can_plan_liaison_meetings(request.user))
    block = get_object_or_404(Block.objects.visible_to(request.user), pk=block_id)
    fiscal_year = requested_fiscal_year(request)
    try:
        expected = int(request.POST.get("expected", ""))
        services.set_meeting_cadence(
            block=block, fiscal_year=fiscal_year, expected=expected, by=request.user
        )
    except ValueError:
        flash.error(request, _("Give a number."))
    except ValidationError as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("The expected number of meetings is saved."))
    return redirect(f"{reverse('supervision:liaison_meetings')}?fy={fiscal_year}")


@staff_required
def liaison_meeting_new(request):
    """Plan a block liaison meeting (a training Event of kind liaison meeting)."""
    deny_unless(can_plan_liaison_meetings(request.user))
    form = LiaisonMeetingForm(
        request.POST or None,
        initial={"block": request.GET.get("block"), "staff": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.plan_liaison_meeting(**form.service_arguments(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error, aliases=SERVICE_FIELDS)
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
