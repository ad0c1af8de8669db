"""Use cases of the directory app."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.tokens import hash_token, new_token
from directory.models import ApiToken, User

audit.register_actions(
    {
        "directory.apitoken.created": gettext_lazy("Issued the API token"),
        "directory.apitoken.revoked": gettext_lazy("Revoked the API token"),
        "directory.user.created": gettext_lazy("Created the center staff user"),
        "directory.apitoken.revoked_with_person": gettext_lazy(
            "Revoked the API token (password, account or role changed)"
        ),
        "directory.center.changed": gettext_lazy("Changed the center's profile"),
        "directory.block.created": gettext_lazy("Added the block"),
        "directory.district.created": gettext_lazy("Added the district"),
    }
)


@transaction.atomic
def create_center_user(
    *, username: str, email: str, password: str, last_name: str = "", first_name: str = ""
) -> User:
    """A center staff user (``manage.py create_center_user``: the first one of a new
    prefecture). The password must pass the configured validators."""
    user = User(
        username=username.strip(),
        email=email.strip(),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        role=User.Role.CENTER,
    )
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(user, "directory.user.created", by=None, changes={"role": [None, user.role]})
    return user


@transaction.atomic
def issue_api_token(*, user: User, label: str, by: User | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token for ``user`` (``by`` defaults to the user themselves);
    returns the row and the raw token, which is never stored and shown only once."""
    raw = new_token()
    token = ApiToken.objects.create(user=user, label=label.strip(), token_hash=hash_token(raw))
    changes = audit.diff({}, audit.snapshot(token, ("user", "label")))
    audit.record(token, "directory.apitoken.created", by=by or user, changes=changes)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User | None = None) -> None:
    """Revoke a token at once; later requests with it get 401. ``by`` defaults to its owner."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            token,
            "directory.apitoken.revoked",
            by=by or token.user,
            changes={"revoked_at": [None, token.revoked_at]},
        )


@transaction.atomic
def revoke_person_tokens(*, user: User, reason: str) -> int:
    """Revoke every live API token of ``user`` because their password changed, their account
    was deactivated or they lost their role (``reason``); each is audited. Returns how many."""
    now = timezone.now()
    tokens = list(ApiToken.objects.active().select_for_update().filter(user=user))
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            token,
            "directory.apitoken.revoked_with_person",
            by=None,
            changes={"revoked_at": [None, now]},
            reason=reason,
        )
    return len(tokens)
