"""What the attendance pages share: the event and roster they work on, the way back, refusals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from attendance.models import (
    Roster,
    RosterEntry,
)
from core.errors import Conflict
from training.models import Event


def staff_event(request, event_id: int, check=None) -> Event:
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("roster"), pk=event_id
    )
    if check is not None and not check(request.user, event):
        raise PermissionDenied
    return event


def roster_of(event: Event) -> Roster:
    try:
        return event.roster
    except Roster.DoesNotExist:
        return Roster(event=event)


def sorted_entries(event: Event) -> list[RosterEntry]:
    rows = RosterEntry.objects.filter(event=event).select_related("municipality", "recorded_by")
    return sorted(rows, key=RosterEntry.sort_key)


def attended_count(entries) -> int:
    return sum(1 for e in entries if e.attended)


def show_refusal(request, exc) -> None:
    """A refused service call becomes an error message above the page."""
    if isinstance(exc, Conflict):
        messages.error(request, exc.message)
    else:
        for message in exc.messages:
            messages.error(request, message)
