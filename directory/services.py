"""Use cases of the directory app."""

from django.db import transaction
from django.utils import timezone

from core.tokens import hash_token, new_token
from directory.models import ApiToken, User


@transaction.atomic
def issue_api_token(*, user: User, label: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the row and the raw token, which is never stored
    and shown only once."""
    raw = new_token()
    token = ApiToken.objects.create(user=user, label=label.strip(), token_hash=hash_token(raw))
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> None:
    """Revoke a token at once; later requests with it get 401."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
