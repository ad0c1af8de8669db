"""The outbox: center staff see what was sent, what is due and what failed, per topic."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import error_text
from core.redirects import safe_next
from directory.decorators import center_staff_required
from notifications.models import Dispatch
from notifications.permissions import can_change_reminder_days, can_retry_dispatch
from notifications.registry import all_kinds
from notifications.services import reminder_settings, retry_dispatch, set_reminder_days
from notifications.topics import object_of_topic

State = Dispatch.State

VIEWS = {
    "due": (gettext_lazy("Due"), [State.PENDING, State.SENDING]),
    "sent": (gettext_lazy("Sent"), [State.SENT]),
    "problems": (gettext_lazy("Failed or missed"), [State.FAILED, State.MISSED]),
    "cancelled": (gettext_lazy("Cancelled"), [State.CANCELLED]),
    "all": (gettext_lazy("All"), None),
}


@center_staff_required
def outbox(request):
    view = request.GET.get("view", "due")
    if view not in VIEWS:
        view = "due"
    dispatches = Dispatch.objects.visible_to(request.user).select_related("content_type")
    states = VIEWS[view][1]
    if states:
        dispatches = dispatches.filter(state__in=states)
    if view == "due":
        dispatches = dispatches.order_by("next_attempt_at", "id")
    kind = request.GET.get("kind", "")
    if kind:
        dispatches = dispatches.filter(kind=kind)
    topic = request.GET.get("topic", "").strip()
    if topic:
        dispatches = dispatches.filter(topic=topic)
    page = Paginator(dispatches, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "views": [(key, label) for key, (label, _states) in VIEWS.items()],
            "view": view,
            "kinds": all_kinds(),
            "kind": kind,
            "topic": topic,
            "topic_name": str(object_of_topic(topic) or "") if topic else "",
            "problem_count": Dispatch.objects.visible_to(request.user).problems().count(),
            "reminder_settings": reminder_settings(topic=topic) if topic else [],
        },
    )


@require_POST
@center_staff_required
def retry(request, dispatch_id: int):
    dispatch = get_object_or_404(Dispatch.objects.visible_to(request.user), pk=dispatch_id)
    if not can_retry_dispatch(request.user, dispatch):
        raise PermissionDenied
    try:
        retry_dispatch(dispatch=dispatch)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The message will be sent again now."))
    return redirect(safe_next(request, reverse("notifications:outbox")))


@require_POST
@center_staff_required
def reminder_days(request):
    """Staff choose the days before for one topic's reminders ("3, 1"; empty: none)."""
    if not can_change_reminder_days(request.user):
        raise PermissionDenied
    topic = request.POST.get("topic", "")
    raw = request.POST.get("days", "").replace("、", ",").replace("，", ",")
    try:
        days = [int(part) for part in raw.split(",") if part.strip()]
        set_reminder_days(kind=request.POST.get("kind", ""), topic=topic, days=days)
    except ValueError:
        messages.error(request, _("Enter whole numbers of days."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The reminder days were changed."))
    return redirect(f"{reverse('notifications:outbox')}?view=due&topic={quote(topic)}")
