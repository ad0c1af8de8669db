"""Entry from the paper sheet and walk-ins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from attendance import permissions, services
from attendance.forms import (
    PaperForm,
    WalkInForm,
)
from attendance.views.common import roster_of, sorted_entries, staff_event
from core.errors import Conflict
from core.forms import add_service_errors
from core.pages import answer_status
from core.redirects import safe_next
from directory.decorators import staff_required


@staff_required
def paper(request, event_id: int):
    """Tick everyone who signed the paper sheet, then mark them at once."""
    event = staff_event(request, event_id, permissions.can_record_attendance)
    entries = sorted_entries(event)
    form = PaperForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_attendance_in_bulk(
                event=event,
                entry_ids=form.cleaned_data["entries"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(count)d people recorded.") % {"count": changed})
            return redirect("attendance:roster", event.id)
    return render(
        request,
        "attendance/paper.html",
        {"event": event, "roster": roster_of(event), "form": form, "entries": entries},
    )


@staff_required
def walk_in(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_record_attendance)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.add_walk_in(event=event, user=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s was added as present.") % {"name": entry.name})
            return redirect(safe_next(request, reverse("attendance:check_in", args=[event.id])))
    return render(
        request,
        "attendance/walk_in.html",
        {"event": event, "roster": roster_of(event), "form": form, "next": safe_next(request, "")},
        status=answer_status(request),
    )
