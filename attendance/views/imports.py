"""Online imports (the meeting tool's attendance report) and resolving imported people."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import permissions, services
from attendance.forms import (
    ImportForm,
    ResolveForm,
)
from attendance.models import (
    ImportedAttendee,
    OnlineImport,
)
from attendance.views.common import roster_of, show_refusal, sorted_entries, staff_event
from core.errors import Conflict
from core.forms import add_service_errors
from core.pages import answer_status
from core.usecases import load_visible
from directory.decorators import staff_required


@staff_required
def import_report(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_record_attendance)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            online_import = services.import_online_attendance(
                event=event, user=request.user, data=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("attendance:import_detail", online_import.id)
    imports = OnlineImport.objects.filter(event=event).select_related("uploaded_by")
    roster = roster_of(event)
    return render(
        request,
        "attendance/import.html",
        {
            "event": event,
            "roster": roster,
            "form": form,
            "imports": imports,
            "minimum": roster.effective_minimum_minutes(),
        },
        status=answer_status(request),
    )


@require_GET
@staff_required
def import_detail(request, import_id: int):
    online_import = get_object_or_404(
        OnlineImport.objects.select_related("event", "uploaded_by").prefetch_related(
            Prefetch("attendees", queryset=ImportedAttendee.objects.select_related("entry"))
        ),
        pk=import_id,
    )
    event = online_import.event
    if not permissions.can_see_roster(request.user, event):
        raise PermissionDenied
    attendees = list(online_import.attendees.all())
    entries = sorted_entries(event)
    return render(
        request,
        "attendance/import_detail.html",
        {
            "event": event,
            "roster": roster_of(event),
            "online_import": online_import,
            "matched": [a for a in attendees if a.entry_id],
            "unmatched": [
                a for a in attendees if a.resolution == ImportedAttendee.Resolution.UNMATCHED
            ],
            "dismissed": [
                a for a in attendees if a.resolution == ImportedAttendee.Resolution.DISMISSED
            ],
            "resolve_form": ResolveForm(entries=entries),
        },
    )


@require_POST
@staff_required
def resolve(request, attendee_id: int):
    """One call: the service finds the participant and decides who may resolve it."""
    form = ResolveForm(request.POST, entries=())
    # The service checks that the entry is on this event's roster (a 422 naming entry_id).
    form.fields["entry"] = forms.IntegerField(required=False)
    if form.is_valid():
        try:
            attendee = services.resolve_imported_attendee(
                actor=request.user,
                attendee_id=attendee_id,
                action=form.cleaned_data["action"],
                entry_id=form.cleaned_data["entry"],
            )
        except (ValidationError, Conflict) as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("%(name)s is resolved.") % {"name": attendee.name})
    else:
        messages.error(request, _("Choose a person on this roster."))
    attendee = load_visible(ImportedAttendee.objects.all(), attendee_id)
    return redirect("attendance:import_detail", attendee.online_import_id)
