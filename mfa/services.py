"""Use cases of the second factor: enrol an authenticator app (TOTP), give a code, recovery
codes, remove a factor, and a center staff member's reset of a colleague's factors (audited).

The devices are django-otp's (``TOTPDevice``, ``StaticDevice`` for recovery codes) and
django-otp-webauthn's (``WebAuthnCredential``, a passkey); this module keeps the rules around
them: the first factor brings recovery codes, the last one removed takes them along."""

from base64 import b32encode

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core import audit
from mfa import policy

RECOVERY_CODES = 10
APP_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"


def _user_action(verb: str) -> str:
    meta = get_user_model()._meta
    return f"{meta.app_label}.{meta.model_name}.{verb}"


def register_audit_actions() -> None:
    audit.register_actions(
        {
            _user_action("second_factor_added"): gettext_lazy("second factor added"),
            _user_action("second_factor_removed"): gettext_lazy("second factor removed"),
            _user_action("second_factor_reset"): gettext_lazy("second factor reset"),
        }
    )


# --- authenticator app (TOTP) -------------------------------------------------------------


def pending_app(user) -> TOTPDevice:
    """The unconfirmed authenticator app being set up (one per person, kept until confirmed
    so that a reload shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def app_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it typed in (base32, in groups of four)."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def app_qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def confirm_app(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows. Returns the new recovery codes (if this is the
    person's first factor) or []; None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _added(request, device, "totp")


@transaction.atomic
def passkey_added(request, device: WebAuthnCredential) -> list[str]:
    """After django-otp-webauthn saved a new passkey: the same follow-up as an app."""
    return _added(request, device, "passkey")


def _added(request, device, kind: str) -> list[str]:
    user = request.user
    codes = [] if policy.has_recovery_codes(user) else new_recovery_codes(user, audited=False)
    audit.record(user, _user_action("second_factor_added"), by=user, kind=kind)
    if not user.is_verified():
        otp_login(request, device)
    policy.mark_verified(request)
    return codes


# --- giving a code ----------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(str(code).split())


def verify_code(request, code: str) -> bool:
    """A code from the person's app (digits) or one of their recovery codes (letters and
    digits, used up). Each device slows down after wrong codes (django-otp's throttling); a
    code is tried only on the kind of device it looks like, so a mistyped recovery code does
    not slow down the app."""
    user = request.user
    token = _digits(code).lower()
    if not token:
        return False
    model = TOTPDevice if token.isdigit() else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, _data = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            otp_login(request, device)
            policy.mark_verified(request)
            return True
    return False


# --- recovery codes -------------------------------------------------------------------------


@transaction.atomic
def new_recovery_codes(user, *, audited: bool = True) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODES new ones; returned once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    if audited:
        audit.record(user, _user_action("second_factor_added"), by=user, kind="recovery")
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- listing and removing -------------------------------------------------------------------


def factors_of(user) -> dict:
    return {
        "apps": list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")),
        "passkeys": list(
            WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("id")
        ),
        "recovery_left": recovery_codes_left(user),
    }


@transaction.atomic
def remove_factor(*, user, kind: str, device_id: int) -> bool:
    """Remove one of the person's own apps or passkeys; the last one takes the recovery codes
    along. Returns whether something was removed."""
    model = {"totp": TOTPDevice, "passkey": WebAuthnCredential}.get(kind)
    if model is None:
        return False
    deleted, _rows = model.objects.filter(user=user, pk=device_id).delete()
    if not deleted:
        return False
    if not policy.has_factor(user):
        StaticDevice.objects.filter(user=user).delete()
    audit.record(user, _user_action("second_factor_removed"), by=user, kind=kind)
    return True


@transaction.atomic
def reset_factors(*, user, by, reason: str = "") -> int:
    """Center staff: remove every factor of a colleague who lost theirs (apps, passkeys,
    recovery codes), recorded in the audit trail. Their next login enrols a new one (when the
    center requires it). Returns how many devices were removed."""
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    audit.record(
        user,
        _user_action("second_factor_reset"),
        by=by,
        removed=removed,
        reason=reason,
    )
    return removed
