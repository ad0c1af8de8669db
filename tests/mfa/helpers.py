"""Codes as an authenticator app computes them (django-otp's own TOTP), and users with factors."""

from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mfa import services


def app_code(key: bytes, *, ahead: int = 0) -> str:
    """The code an app shows now (``ahead`` steps later: a login right after another in the
    same 30 s needs the next code, as django-otp refuses a code twice)."""
    return f"{totp(key, drift=ahead):06d}"


def code_for_secret(secret: str, *, ahead: int = 0) -> str:
    """From the key the setup page shows (base32 in groups of four)."""
    key = secret.replace(" ", "")
    return app_code(b32decode(key + "=" * (-len(key) % 8)), ahead=ahead)


def with_app(user) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed authenticator app and recovery codes."""
    device = TOTPDevice.objects.create(user=user, name=services.APP_NAME, confirmed=True)
    return device, services.new_recovery_codes(user, audited=False)
