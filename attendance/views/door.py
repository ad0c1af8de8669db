"""Check-in at the door: the page, 「QRで受付」, recording a status, one entry's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import permissions, services
from attendance.forms import (
    StatusForm,
)
from attendance.imports import name_key
from attendance.kana import to_hiragana
from attendance.models import (
    CheckInScan,
    RosterEntry,
)
from attendance.views.common import (
    attended_count,
    roster_of,
    show_refusal,
    sorted_entries,
    staff_event,
)
from core.errors import Conflict
from core.redirects import safe_next
from directory.decorators import staff_required


def search_text(entry: RosterEntry) -> str:
    """What the check-in search compares with: name, reading (as hiragana) and organization,
    without spaces, lower-cased."""
    return " ".join(
        [
            name_key(entry.name),
            name_key(to_hiragana(entry.name)),
            name_key(to_hiragana(entry.kana)),
            name_key(entry.organization),
        ]
    )


@require_GET
@staff_required
def check_in(request, event_id: int):
    event = staff_event(request, event_id, permissions.can_record_attendance)
    entries = sorted_entries(event)
    query = request.GET.get("q", "").strip()
    rows = [(entry, search_text(entry)) for entry in entries]
    if query:
        needle = name_key(to_hiragana(query))
        rows = [(entry, text) for entry, text in rows if needle in text]
    return render(
        request,
        "attendance/check_in.html",
        {
            "event": event,
            "roster": roster_of(event),
            "rows": rows,
            "query": query,
            "attended": attended_count(entries),
            "total": len(entries),
            "to_add": services.roster_additions(event),
            "texts": {
                "present": _("Present"),
                "undo": _("Undo"),
                "pending": _("%(count)s not sent yet"),
                "failed": _("Could not record"),
            },
        },
    )


@require_POST
@staff_required
def record(request, entry_id: int):
    """One tap (status present) or any other status, from the check-in page, the roster or the
    entry's page; back to where it came from."""
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related("event"), pk=entry_id
    )
    if not permissions.can_record_attendance(request.user, entry.event):
        raise PermissionDenied
    back = safe_next(request, reverse("attendance:check_in", args=[entry.event_id]))
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    try:
        services.record_attendance(
            entry=entry,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except (ValidationError, Conflict) as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s") % {"name": entry.name, "status": entry.get_status_display()},
        )
    return redirect(back)


@staff_required
def entry_detail(request, entry_id: int):
    """One person: change the status (with a reason once the roster is closed), see the log."""
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related("event", "municipality"),
        pk=entry_id,
    )
    if not permissions.can_see_roster(request.user, entry.event):
        raise PermissionDenied
    form = StatusForm(initial={"status": entry.status})
    return render(
        request,
        "attendance/entry.html",
        {
            "entry": entry,
            "event": entry.event,
            "roster": roster_of(entry.event),
            "form": form,
            "changes": entry.changes.select_related("changed_by"),
        },
    )


@require_GET
@staff_required
def qr_check_in(request, event_id: int):
    """「QRで受付」: the camera reads the check-in codes (attendance/static/attendance/
    qr-check-in.js); the scans go to the door's API (attendance.door_api)."""
    event = staff_event(request, event_id, permissions.can_record_attendance)
    entries = sorted_entries(event)
    results = {value: str(label) for value, label in CheckInScan.Result.choices}
    config = {
        "event_id": event.pk,
        "roster_url": reverse("api:door_roster", args=[event.pk]),
        "scans_url": reverse("api:record_scans", args=[event.pk]),
        "texts": {
            "results": results,
            "already_at": _("Already checked in (%(time)s)"),
            "undo": _("Undo"),
            "pending": _("%(count)s not sent yet"),
            "refused": _("Could not record"),
            "starting": _("Starting the camera…"),
            "scanning": _("Point the camera at the QR code of the admission ticket."),
            "no_camera": _(
                "The camera cannot be used. Allow it in the browser, or search by name."
            ),
            "cleared": _("The data on this device has been cleared."),
            "clear_unsent": _(
                "%(count)s check-ins have not been sent yet and will be lost. Clear anyway?"
            ),
        },
    }
    return render(
        request,
        "attendance/check_in_qr.html",
        {
            "event": event,
            "roster": roster_of(event),
            "attended": attended_count(entries),
            "total": len(entries),
            "config": config,
        },
    )
