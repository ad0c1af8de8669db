"""Staff pages of the directory app: personal API tokens; locked logins (center staff); the
page a locked-out login gets."""

import math

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.decorators import center_staff_required, staff_required
from directory.forms import ApiTokenForm
from directory.models import ApiToken
from directory.services import issue_api_token, revoke_api_token


@staff_required
def api_tokens(request):
    """List the user's own tokens and issue a new one; the raw token is shown once."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = issue_api_token(
            user=request.user, label=form.cleaned_data["label"], by=request.user
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "directory/api_tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
@staff_required
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    revoke_api_token(token=token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("directory:api_tokens")


def _cooloff_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while the account is locked: 429, in the user's language,
    with Retry-After."""
    response = render(
        request, "registration/locked_out.html", {"minutes": _cooloff_minutes()}, status=429
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@center_staff_required
def lockouts(request):
    """Accounts locked by wrong passwords (still within the cool-off), for center staff."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    return render(
        request,
        "directory/lockouts.html",
        {
            "attempts": attempts,
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": _cooloff_minutes(),
        },
    )


@require_POST
@center_staff_required
def unlock(request):
    username = request.POST.get("username", "")
    if username:
        addresses = set(
            AccessAttempt.objects.filter(username=username).values_list("ip_address", flat=True)
        )
        axes_reset(username=username)
        for address in addresses - {None}:
            axes_reset(ip=address)
        messages.success(request, _("%(username)s can log in again.") % {"username": username})
    return redirect("directory:lockouts")
