"""The overview, an event's counts and its roster (build, close, minimum)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import permissions, queries, services
from attendance.forms import (
    MinimumForm,
)
from attendance.models import (
    Certificate,
    ImportedAttendee,
    RosterChange,
)
from attendance.views.common import (
    attended_count,
    roster_of,
    show_refusal,
    sorted_entries,
    staff_event,
)
from core.dates import requested_fiscal_year
from core.errors import Conflict
from core.fiscal import fiscal_year_label, today
from core.redirects import safe_next
from directory.decorators import staff_required


@require_GET
@staff_required
def index(request):
    """The fiscal year's events with how many attended, and the year's breakdowns."""
    fiscal_year = requested_fiscal_year(request)
    counts = queries.fiscal_year_counts(fiscal_year, permissions.count_scope(request.user))
    current = today()
    return render(
        request,
        "attendance/index.html",
        {
            "counts": counts,
            "today": current,
            # On the day, the venue's events come first, each with a large 受付 button.
            "todays": [
                row
                for row in counts.events
                if timezone.localdate(row.event.starts_at) <= current
                and timezone.localdate(row.event.ends_at) >= current
            ],
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "previous_year": fiscal_year - 1,
            "next_year": fiscal_year + 1,
            "can_see_rosters": permissions.can_see_roster(request.user, None),
            "scoped": permissions.count_scope(request.user) is not None,
        },
    )


@require_GET
@staff_required
def event_counts(request, event_id: int):
    event = staff_event(request, event_id)
    return render(
        request,
        "attendance/counts.html",
        {
            "event": event,
            "counts": queries.event_counts(event, permissions.count_scope(request.user)),
            "scoped": permissions.count_scope(request.user) is not None,
            "can_see_roster": permissions.can_see_roster(request.user, event),
        },
    )


# --- roster ---------------------------------------------------------------------------------


@require_GET
@staff_required
def roster(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_see_roster)
    entries = sorted_entries(event)
    changes = (
        RosterChange.objects.filter(entry__event=event)
        .select_related("entry", "changed_by")
        .order_by("-changed_at", "-id")
    )
    roster = roster_of(event)
    certified = set(
        Certificate.objects.filter(entry__event=event).values_list("entry_id", flat=True)
    )
    return render(
        request,
        "attendance/roster.html",
        {
            "event": event,
            "roster": roster,
            "entries": entries,
            "attended": attended_count(entries),
            "changes": list(changes),
            "certified": certified,
            "minimum_form": MinimumForm(initial={"minimum_minutes": roster.minimum_minutes}),
            "minimum": roster.effective_minimum_minutes(),
            "to_add": services.roster_additions(event),
            "unresolved": ImportedAttendee.objects.filter(
                online_import__event=event, resolution=ImportedAttendee.Resolution.UNMATCHED
            ).count(),
        },
    )


@require_POST
@staff_required
def build(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_record_attendance)
    try:
        result = services.build_roster(event=event, user=request.user)
    except (ValidationError, Conflict) as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("Roster updated: %(registrations)d from registrations, %(invitations)d invited, "
              "%(removed)d removed.")
            % {
                "registrations": result.from_registrations,
                "invitations": result.from_invitations,
                "removed": result.removed,
            },
        )  # fmt: skip
    return redirect(safe_next(request, reverse("attendance:roster", args=[event.id])))


@require_POST
@staff_required
def close(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_close_roster)
    if request.POST.get("action") == "reopen":
        services.reopen_roster(event=event, user=request.user)
        messages.success(request, _("The roster is open again."))
    else:
        services.close_roster(event=event, user=request.user)
        messages.success(request, _("The roster is closed. Later changes need a reason."))
    return redirect("attendance:roster", event.id)


@require_POST
@staff_required
def minimum(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_record_attendance)
    form = MinimumForm(request.POST)
    if form.is_valid():
        services.set_minimum_minutes(
            event=event, minutes=form.cleaned_data["minimum_minutes"], user=request.user
        )
        messages.success(request, _("The minimum attended time is saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("attendance:roster", event.id)
