"""Who must give a second factor: staff roles, when the center requires it; the requirement's
default follows DEBUG (on for a server) and the center's profile can choose."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from core.models import AuditEntry
from directory import center
from mfa import policy
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]


def _default_with(debug: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECOND_FACTOR_REQUIRED"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x" * 50)
    if debug is not None:
        env["DEBUG"] = debug
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECOND_FACTOR_REQUIRED)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_default_requires_a_second_factor_unless_debug():
    assert (_default_with(None), _default_with("false"), _default_with("true")) == (
        "True",
        "True",
        "False",
    )


@pytest.mark.django_db
def test_staff_roles_need_a_factor_when_the_default_is_on_and_the_center_has_not_chosen(
    personas,
):
    with override_settings(SECOND_FACTOR_REQUIRED=True):
        required = {name: policy.required_for(user) for name, user in personas.items()}

    assert required == {
        "center": True,
        "health_office": True,
        "municipal": True,
        "superuser": True,
        "outsider": False,
    }


@pytest.mark.django_db
def test_the_centers_choice_overrides_the_default(center_staff):
    with override_settings(SECOND_FACTOR_REQUIRED=True):
        center.update_profile(by=center_staff, require_second_factor=False)
        off = policy.required_for(center_staff)
    with override_settings(SECOND_FACTOR_REQUIRED=False):
        center.update_profile(by=center_staff, require_second_factor=True)
        on = policy.required_for(center_staff)

    assert (off, on) == (False, True)


@pytest.mark.django_db
def test_center_staff_set_the_requirement_on_the_profile_page_audited(center_staff):
    client = client_for(center_staff)
    page = client.get("/account/center/").context["form"]
    data = {name: value for name, value in page.initial.items() if value is not None}

    response = client.post("/account/center/", {**data, "require_second_factor": "true"})

    assert response.status_code == 302
    assert center.get_profile().require_second_factor is True
    entry = AuditEntry.objects.filter(action="directory.center.changed").latest("id")
    assert entry.changes["require_second_factor"] == [None, True]


@pytest.mark.django_db
def test_the_login_page_names_the_demo_logins_only_in_debug(client):
    with override_settings(DEBUG=True):
        debug = client.get("/login/").content.decode()
    production = client.get("/login/").content.decode()

    note = "二要素認証なしで使えます"
    assert (note in debug, note in production) == (True, False)


def test_the_passkey_scripts_speak_japanese(client):
    body = client.get("/account/second-factor/webauthn/jsi18n/").content.decode()

    assert json.dumps("登録を中止しました。")[1:-1] in body
