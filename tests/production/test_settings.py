"""The documented production settings (deploy/sasaeru.env.example) pass ``check --deploy``
without a warning; DEBUG on with a host name that is not local refuses to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Left out of the child process: test-run settings, and the browser fixtures' permission to
# call the ORM from Playwright's event loop (a deploy check rightly refuses it).
RELAXED = {
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, **env):
    base = {key: value for key, value in os.environ.items() if key not in RELAXED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "PYTHONWARNINGS": "ignore", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path) -> dict:
    env = {}
    for line in (ROOT / "deploy" / "sasaeru.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    env["SASAERU_VAR_DIR"] = str(tmp_path)
    return env


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_with_a_public_host_name_refuses_to_start(tmp_path):
    env = {**production_env(tmp_path), "DEBUG": "true"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Refusing to start: DEBUG is on while ALLOWED_HOSTS" in result.stderr


def test_without_debug_a_secret_key_is_required(tmp_path):
    env = {**production_env(tmp_path), "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
