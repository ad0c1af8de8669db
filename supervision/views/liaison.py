"""Block liaison meetings with their cadence."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import requested_as_of, requested_fiscal_year
from core.errors import Conflict
from core.fiscal import fiscal_year_label, fiscal_year_of
from core.forms import error_text
from core.pages import form_page, submit
from core.usecases import allow
from directory.decorators import staff_required
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
    fiscal_year = requested_fiscal_year(request)
    try:
        expected = int(request.POST.get("expected", ""))
        services.set_meeting_cadence(
            actor=request.user, block_id=block_id, fiscal_year=fiscal_year, expected=expected
        )
    except ValueError:
        flash.error(request, _("Give a number."))
    except (ValidationError, Conflict) as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("The expected number of meetings is saved."))
    return redirect(f"{reverse('supervision:liaison_meetings')}?fy={fiscal_year}")


@staff_required
def liaison_meeting_new(request):
    """Plan a block liaison meeting (a training Event of kind liaison meeting)."""
    allow(request.user, can_plan_liaison_meetings(request.user))
    form = LiaisonMeetingForm(
        request.POST or None,
        initial={"block": request.GET.get("block"), "staff": [request.user.pk]},
    )
    outcome = submit(
        request,
        form,
        lambda data: services.plan_liaison_meeting(actor=request.user, **form.service_arguments()),
        aliases=SERVICE_FIELDS,
    )
    if outcome.done:
        event = outcome.value
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
    return form_page(
        request, "supervision/form.html", {"form": form, "title": _("Plan a block liaison meeting")}
    )
