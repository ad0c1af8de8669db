"""Staff pages of the directory app: personal API tokens."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.decorators import staff_required
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
