"""Staff pages of the directory app: personal API tokens; locked logins (center staff); the
page a locked-out login gets; for center staff the center's profile and the prefecture's
districts and blocks."""

import math

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit, exports
from core.forms import add_service_errors, error_text
from core.inputs import query_id
from core.pages import answer_status
from directory import area_files, areas, center
from directory.decorators import center_staff_required, staff_required
from directory.forms import (
    ApiTokenForm,
    AreasImportForm,
    BlockForm,
    CenterProfileForm,
    DistrictForm,
)
from directory.models import ApiToken, Block, District, Municipality
from directory.services import issue_api_token, revoke_api_token
from mfa import policy as second_factor


@staff_required
def api_tokens(request):
    """List the user's own tokens and issue a new one; the raw token is shown once. A person
    with a second factor gives it again first unless they gave it a few minutes ago."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and second_factor.needs_reauth(request):
        messages.info(
            request, _("Confirm it is you with your second factor, then issue the token.")
        )
        return redirect(f"{reverse('mfa:verify')}?next={reverse('directory:api_tokens')}")
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
        status=422 if form.is_bound and form.errors else 200,
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


# --- the center's profile --------------------------------------------------------------


@center_staff_required
def center_profile(request):
    """The center's name, contacts and report section names (core.center)."""
    profile = center.get_profile()
    form = CenterProfileForm(request.POST or None, initial=CenterProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            center.update_profile(by=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The center's profile is saved."))
            return redirect("directory:center")
    return render(
        request,
        "directory/center.html",
        {"form": form, "history": audit.history(profile)[:20] if profile.pk else []},
        status=answer_status(request),
    )


# --- districts and blocks --------------------------------------------------------------


@center_staff_required
def areas_page(request):
    """The prefecture's districts and blocks: assign, add, import and export."""
    status = 200
    block_form = BlockForm(prefix="block")
    district_form = DistrictForm(prefix="district")
    import_form = AreasImportForm(prefix="import")
    import_errors = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                changed = areas.assign_areas(
                    municipality_districts=_ids(request.POST, "municipality_"),
                    district_blocks=_ids(request.POST, "district_"),
                    by=request.user,
                )
                messages.success(request, _("Saved: %(count)d changed.") % {"count": changed})
                return redirect("directory:areas")
            if action == "block":
                block_form = BlockForm(request.POST, prefix="block")
                if block_form.is_valid():
                    areas.define_block(name=block_form.cleaned_data["name"], by=request.user)
                    messages.success(request, _("The block is added."))
                    return redirect("directory:areas")
            elif action == "district":
                district_form = DistrictForm(request.POST, prefix="district")
                if district_form.is_valid():
                    areas.define_district(**district_form.cleaned_data, by=request.user)
                    messages.success(request, _("The district is added."))
                    return redirect("directory:areas")
            elif action == "import":
                import_form = AreasImportForm(request.POST, request.FILES, prefix="import")
                if import_form.is_valid():
                    _import_areas(request, import_form)
                    return redirect("directory:areas")
            else:
                raise Http404
        except ValidationError as error:
            if action == "import":
                import_errors = error.messages
            elif action == "block":
                add_service_errors(block_form, error)
            elif action == "district":
                add_service_errors(district_form, error)
            else:
                messages.error(request, error_text(error))
        status = 422
    return _areas_response(
        request,
        block_form=block_form,
        district_form=district_form,
        import_form=import_form,
        import_errors=import_errors,
        status=status,
    )


def _import_areas(request, import_form) -> None:
    """Import the valid form's files and say what changed."""
    files = {name: upload.read() for name, upload in import_form.cleaned_data.items() if upload}
    result = area_files.import_areas(**files)
    if result.changed_anything:
        messages.success(request, _("Imported: %(districts)d districts and %(blocks)d blocks added, %(count)d assignments changed.") % {"districts": len(result.districts_created), "blocks": len(result.blocks_created), "count": result.changed})  # fmt: skip
    else:
        messages.info(request, _("The files change nothing."))


def _areas_response(request, *, status: int, **forms):
    """The areas page with the municipalities, districts, blocks and the given forms."""
    municipalities = Municipality.objects.select_related("district", "block").order_by(
        "-is_current", "order", "id"
    )
    return render(
        request,
        "directory/areas.html",
        {
            "municipalities": municipalities,
            "districts": District.objects.select_related("block"),
            "blocks": Block.objects.all(),
            **forms,
        },
        status=status,
    )


def _ids(data, prefix: str) -> dict:
    """{row id: chosen id or None} from the fields named ``<prefix><row id>``; an id no 64-bit
    column holds, in the name or the value, is an unknown district or block."""
    chosen = {}
    for name, value in data.items():
        if not name.startswith(prefix):
            continue
        row_id = query_id(name[len(prefix) :])
        choice = query_id(value) if value else None
        if row_id is None or (value and choice is None):
            raise ValidationError(_("Unknown district or block."))
        chosen[row_id] = choice
    return chosen


@center_staff_required
def areas_export(request, which: str):
    """The current districts or blocks as a CSV file to edit and import again."""
    if which not in ("districts", "blocks"):
        raise Http404
    table = area_files.district_table() if which == "districts" else area_files.block_table()
    return exports.csv_response(*table, filename=f"{which}.csv")
