"""Authentication for the JSON API: a personal API token (``Authorization: Bearer <token>``) or
the staff session (with CSRF).

A request that carries a Bearer token is authenticated by the token alone: it needs no CSRF
token (a browser never sends this header by itself, so there is nothing to forge) and its
session, if any, is not consulted. A request without one is a session request and must pass
Django's CSRF check for unsafe methods. An authenticated user without a role is answered 404,
as everywhere else, so that an outsider learns nothing about what exists."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from core.tokens import hash_token
from directory.models import ApiToken
from directory.permissions import has_role


def _staff_or_404(user):
    if not has_role(user):
        raise Http404
    return user


def _has_bearer(request) -> bool:
    return request.headers.get("Authorization", "").split(" ")[0].lower() == "bearer"


class StaffTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        # Looked up by the token's SHA-256 (an index), so the time taken does not depend on how
        # much of the token is right.
        row = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return _staff_or_404(row.user)


class StaffSessionAuth(SessionAuth):
    def __call__(self, request):
        # A token request is the token's alone; an anonymous request has nothing to check.
        if _has_bearer(request) or not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("The CSRF check failed: reload the page and try again."))
        return _staff_or_404(request.user)

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


# The token first: a request with a Bearer header never falls back to its session.
staff_auth = [StaffTokenAuth(), StaffSessionAuth()]
