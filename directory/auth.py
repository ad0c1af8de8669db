"""Authentication for the JSON API: the staff session (with CSRF) or a personal API token
(``Authorization: Bearer <token>``). An authenticated user without a role is answered 404, as
everywhere else, so that an outsider learns nothing about what exists."""

from django.http import Http404
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from directory.models import ApiToken, hash_token
from directory.permissions import has_role


def _staff_or_404(user):
    if not has_role(user):
        raise Http404
    return user


class StaffSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _staff_or_404(user) if user else None


class StaffTokenAuth(HttpBearer):
    def authenticate(self, request, token):
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


staff_auth = [StaffSessionAuth(), StaffTokenAuth()]
