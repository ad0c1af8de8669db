"""API tokens follow their person: a new password, a deactivation or the loss of the staff role
revokes every API token of that person (audited, by the system). Whatever makes the change (the
admin, ``manage.py changepassword``, a password reset, the shell) saves the user, so the check
sits on the save. Revoked tokens stay revoked: reactivating the account or giving the role back
revives none of them. The municipality and block feed links the person issued are not API
tokens and are not touched (feeds.models marks them 「発行者が無効」 for review)."""

from django.db.models.signals import post_save, pre_save

from directory.models import User

WATCHED = {"password", "is_active", "role", "is_superuser"}


def _has_staff_role(is_active: bool, role: str, is_superuser: bool) -> bool:
    return bool(is_active and (role or is_superuser))


def _why_revoke(user: User, before) -> str:
    """The reason this save ends the person's tokens, or ''."""
    password, is_active, role, is_superuser = before
    # set_password() keeps the raw password until the save; a hash upgrade at login (same
    # password, new hash) clears it first and is not a change of password.
    if user._password is not None or (user.password != password and not user.has_usable_password()):
        return "password"
    if _has_staff_role(is_active, role, is_superuser) and not _has_staff_role(
        user.is_active, user.role, user.is_superuser
    ):
        return "deactivated" if not user.is_active else "role"
    return ""


def remember_before(sender, instance: User, update_fields=None, raw=False, **kwargs):
    instance._token_revoke_reason = ""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not WATCHED & set(update_fields):
        return
    before = (
        User.objects.filter(pk=instance.pk)
        .values_list("password", "is_active", "role", "is_superuser")
        .first()
    )
    if before is not None:
        instance._token_revoke_reason = _why_revoke(instance, before)


def revoke_after(sender, instance: User, created=False, raw=False, **kwargs):
    reason = getattr(instance, "_token_revoke_reason", "")
    instance._token_revoke_reason = ""
    if not reason or created or raw:
        return
    from directory.services import revoke_person_tokens

    revoke_person_tokens(user=instance, reason=reason)


def connect() -> None:
    pre_save.connect(remember_before, sender=User, dispatch_uid="directory.tokens.before")
    post_save.connect(revoke_after, sender=User, dispatch_uid="directory.tokens.after")
