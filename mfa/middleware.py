"""A login that still owes its second factor (mfa.policy.PENDING) reaches only the factor
pages, the logout, static files and the language switch: pages answer with a redirect to the
factor step (keeping where the person was going), the JSON API with 403. A request carrying an
API token is the token's alone and passes (directory.auth)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mfa import policy


def _open_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa:verify").rsplit("/", 2)[0] + "/",  # every page under /account/second-factor/
        reverse("logout"),
        settings.STATIC_URL,
        "/i18n/",
        reverse("healthz"),
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def __call__(self, request):
        # No session cookie, no session to look at (and no Vary: Cookie for token pages).
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            answer = self._check(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request):
        state = policy.pending(request)
        if not state or not request.user.is_authenticated:
            return None
        if request.user.is_verified():
            policy.mark_verified(request)
            return None
        if self._open is None:
            self._open = _open_prefixes()
        path = request.path_info
        if path.startswith(self._open):
            return None
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        if path.startswith("/api/"):
            return JsonResponse({"detail": _("Log in with your second factor first.")}, status=403)
        target = reverse("mfa:verify" if state == policy.VERIFY else "mfa:enrol")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
