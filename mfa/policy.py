"""Who must give a second factor, and where a login stands with it.

A login's standing is decided once, when the password is accepted (Django's ``user_logged_in``
signal, so the login page, the admin's and a test client's all count), and kept in the session
under ``PENDING``:

- ``"verify"``: the person has a factor; until they give it (``request.user.is_verified()``,
  django-otp) they reach only the factor pages (mfa.middleware).
- ``"enrol"``: a staff role, the center requires a factor and the person has none yet: they
  reach only the enrolment pages and the logout until they enrol one; nothing else of the
  site (pages, exports, the session API) answers them.
- absent: a password alone is enough (no factor, and none required).

Recovery codes are not a factor of their own: they come with the first TOTP app or passkey
and go with the last one.
"""

import time

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core import center

PENDING = "mfa_pending"
VERIFIED_AT = "mfa_verified_at"
VERIFY, ENROL = "verify", "enrol"


def required_for(user) -> bool:
    """Whether ``user`` must log in with a second factor: staff roles, when the center's
    profile says so (or has not chosen and the installation's default is on)."""
    if not getattr(user, "has_staff_role", False):
        return False
    choice = center.current().require_second_factor
    return settings.SECOND_FACTOR_REQUIRED if choice is None else bool(choice)


def has_factor(user) -> bool:
    """A confirmed authenticator app or passkey (recovery codes alone do not count)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_recovery_codes(user) -> bool:
    return StaticDevice.objects.filter(user=user, token_set__isnull=False).exists()


def standing(user) -> str | None:
    if has_factor(user):
        return VERIFY
    if required_for(user):
        return ENROL
    return None


def on_login(sender, request, user, **kwargs):
    """``user_logged_in``: note what the new session still owes."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(VERIFIED_AT, None)
    # A new login gives the factor anew, even in a session where it was given before.
    session.pop(DEVICE_ID_SESSION_KEY, None)
    state = standing(user)
    if state:
        session[PENDING] = state
    else:
        session.pop(PENDING, None)


def pending(request) -> str | None:
    """What the request's session still owes, or None."""
    return request.session.get(PENDING) if hasattr(request, "session") else None


def mark_verified(request) -> None:
    """After a factor was given (django_otp.login done): the session owes nothing, and the
    time is kept for actions that ask again (``needs_reauth``)."""
    request.session.pop(PENDING, None)
    request.session[VERIFIED_AT] = int(time.time())


def needs_reauth(request) -> bool:
    """For a sensitive action (issuing an API token): a person with a factor must have given
    it within SECOND_FACTOR_REAUTH_SECONDS."""
    user = request.user
    if not has_factor(user):
        return False
    given = request.session.get(VERIFIED_AT)
    if not user.is_verified() or given is None:
        return True
    return time.time() - given > settings.SECOND_FACTOR_REAUTH_SECONDS
