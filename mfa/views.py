"""The second-factor pages: the factor step after the password (``verify``), enrolment when
the center requires one (``enrol``), the person's own factors, and center staff's reset of a
colleague's factors. Each view is thin over mfa.services."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

from core.pages import answer_status
from core.redirects import safe_next
from mfa import policy, services
from mfa.forms import AppCodeForm, CodeForm, ResetForm

NEW_CODES = "mfa_new_codes"


class LoginView(auth_views.LoginView):
    """Django's login (the password step); the factor step follows (mfa.middleware). With
    DEBUG on, the page says that the demo's logins need no second factor."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demo_logins": settings.DEBUG}


def logged_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def settled(view):
    """Pages for a login that owes nothing: one that still owes its factor goes to that step."""

    @wraps(view)
    @logged_in
    def wrapper(request, *args, **kwargs):
        state = policy.pending(request)
        if state and not request.user.is_verified():
            return redirect("mfa:verify" if state == policy.VERIFY else "mfa:enrol")
        return view(request, *args, **kwargs)

    return wrapper


def _next(request) -> str:
    return safe_next(request, reverse("home"))


def _with_next(request, name: str) -> str:
    target = reverse(name)
    wanted = request.GET.get("next") or request.POST.get("next")
    return f"{target}?{urlencode({'next': wanted})}" if wanted else target


@logged_in
def verify(request):
    """The factor step: a passkey, a code from the app, or a recovery code. Also where an
    action that asks again (issuing an API token) sends a person with a factor."""
    user = request.user
    if not policy.has_factor(user) and not policy.has_recovery_codes(user):
        return (
            redirect(_with_next(request, "mfa:enrol"))
            if policy.pending(request)
            else redirect(_next(request))
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_code(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code", _("The code is not right (or was used already). Try the current code.")
        )
    factors = services.factors_of(user)
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "factors": factors,
            "again": not policy.pending(request),
            "next": request.GET.get("next", ""),
            # The page's own "next" (the language switch has one too).
            "webauthn": (
                get_configuration(request, {"nextFieldSelector": "#factor-next"})
                if factors["passkeys"]
                else None
            ),
        },
        status=answer_status(request),
    )


@logged_in
def enrol(request):
    """Choose the first factor: an authenticator app or a passkey."""
    if policy.has_factor(request.user):
        if policy.pending(request) and not request.user.is_verified():
            return redirect(_with_next(request, "mfa:verify"))
        return redirect("mfa:index")
    return render(
        request,
        "mfa/enrol.html",
        {"required": policy.pending(request) == policy.ENROL, "next": request.GET.get("next", "")},
    )


def _may_add(request) -> bool:
    """Adding a factor when one exists needs that factor given first."""
    return not policy.has_factor(request.user) or request.user.is_verified()


@logged_in
def add_app(request):
    if not _may_add(request):
        return redirect(_with_next(request, "mfa:verify"))
    device = services.pending_app(request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_app(request, device, form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, _("The authenticator app is set up."))
            return _after_adding(request, codes)
        form.add_error(
            "code", _("The code is not right. Check the app's clock and try the current code.")
        )
    return render(
        request,
        "mfa/add_app.html",
        {
            "form": form,
            "qr": services.app_qr_data_uri(device),
            "secret": services.app_secret(device),
            "next": request.GET.get("next", ""),
        },
        status=answer_status(request),
    )


@logged_in
def add_passkey(request):
    if not _may_add(request):
        return redirect(_with_next(request, "mfa:verify"))
    return render(
        request,
        "mfa/add_passkey.html",
        {
            "webauthn": get_configuration(request),
            "done_url": _with_next(request, "mfa:added"),
        },
    )


@logged_in
def added(request):
    """Where the passkey page goes once the browser saved the passkey."""
    codes = request.session.pop(NEW_CODES, [])
    if not request.user.is_verified():
        return redirect("mfa:enrol")
    messages.success(request, _("The passkey is registered."))
    return _after_adding(request, codes)


def _after_adding(request, codes):
    if codes:
        request.session[NEW_CODES] = codes
        return redirect(_with_next(request, "mfa:recovery_codes"))
    return redirect(safe_next(request, reverse("mfa:index")))


@logged_in
def recovery_codes(request):
    """The new recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("mfa:index")
    return render(
        request,
        "mfa/recovery_codes.html",
        {"codes": codes, "continue_url": safe_next(request, reverse("mfa:index"))},
    )


@settled
def index(request):
    """The person's own factors."""
    return render(request, "mfa/index.html", {"factors": services.factors_of(request.user)})


@require_POST
@settled
def new_codes(request):
    if not policy.has_factor(request.user):
        raise Http404
    if not request.user.is_verified():
        return redirect(_with_next(request, "mfa:verify"))
    request.session[NEW_CODES] = services.new_recovery_codes(request.user)
    return redirect("mfa:recovery_codes")


@require_POST
@settled
def remove(request, kind: str, device_id: int):
    if policy.has_factor(request.user) and not request.user.is_verified():
        return redirect("mfa:verify")
    if policy.required_for(request.user) and _factor_count(request.user) <= 1:
        messages.error(
            request,
            _("The center requires a second factor: add another one before removing this one."),
        )
        return redirect("mfa:index")
    if not services.remove_factor(user=request.user, kind=kind, device_id=device_id):
        raise Http404
    messages.success(request, _("The factor is removed."))
    return redirect("mfa:index")


def _factor_count(user) -> int:
    factors = services.factors_of(user)
    return len(factors["apps"]) + len(factors["passkeys"])


# --- center staff: colleagues' factors --------------------------------------------------------


def center_staff_only(view):
    @wraps(view)
    @settled
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_center_staff", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _staff_rows():
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    with_app = set(
        services.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    with_key = set(
        WebAuthnCredential.objects.filter(confirmed=True).values_list("user_id", flat=True)
    )
    return [
        {"user": user, "app": user.pk in with_app, "passkey": user.pk in with_key}
        for user in users
        if getattr(user, "has_staff_role", False)
    ]


@center_staff_only
def staff(request):
    """Every staff member's factors, and the reset for one who lost theirs."""
    return render(
        request,
        "mfa/staff.html",
        {"rows": _staff_rows(), "form": ResetForm(), "required": policy.required_for(request.user)},
    )


@require_POST
@center_staff_only
def reset(request, user_id: int):
    target = get_object_or_404(get_user_model().objects.filter(is_active=True), pk=user_id)
    if target == request.user:
        raise Http404
    form = ResetForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "mfa/staff.html",
            {"rows": _staff_rows(), "form": form, "failed_for": target.pk},
            status=422,
        )
    services.reset_factors(user=target, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        _("The second factor of %(name)s is reset: they enrol a new one at their next login.")
        % {"name": target},
    )
    return redirect("mfa:staff")
