"""No secrets in logs (issue #19): after fetching every kind of token URL, neither runserver's
log (Django's logging with the project's LOGGING) nor gunicorn's access log (deploy/gunicorn.conf.py)
holds a token; each shows it masked with its last four characters (``/calendar/s/…a1b2.ics``).
The production stack's log is checked the same way in test_stack.py."""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import get_resolver, resolve
from django.urls.resolvers import URLPattern, URLResolver

from core.log_masking import mask_path
from tests.production.test_stack import free_port, get, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def token_of(url: str) -> str:
    return url.split("/")[3].removesuffix(".ics")


def token_url_names(resolver=None, prefix="") -> set[str]:
    """Every URL pattern name whose pattern has a ``token`` parameter."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= token_url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
            names.add(prefix + entry.name)
    return names


def assert_masked(output: str, urls: list[str]) -> None:
    leaked = [url for url in urls if token_of(url) in output]
    shown = [url for url in urls if mask_path(url) not in output]
    assert leaked == [] and shown == []


def test_mask_path_keeps_the_last_four_characters():
    assert mask_path("/calendar/s/abcdefghijklmnopa1b2.ics") == "/calendar/s/…a1b2.ics"
    assert mask_path("/training/r/xyz123456789/cancel/?x=1") == "/training/r/…6789/cancel/?x=1"
    assert mask_path("/training/") == "/training/"
    assert mask_path("/no/such/page/") == "/no/such/page/"


def test_token_urls_leave_no_token_in_runserver_or_gunicorn_logs(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SASAERU_VAR_DIR": str(tmp_path / "var"),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONWARNINGS": "ignore",
            "WEB_WORKERS": "1",
            "WEB_THREADS": "2",
        }
    )

    def run(*args) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    run("manage.py", "migrate", "--no-input", "-v0")
    # the log lines come first on standard output, the JSON last
    urls = json.loads(run("-m", "tests.production.stack_script", "tokens").splitlines()[-1])
    assert {resolve(url.split("?")[0]).view_name for url in urls} == token_url_names()

    outputs = {}
    for name, command in {
        "runserver": lambda port: [sys.executable, "manage.py", "runserver", "--noreload",
                                   f"127.0.0.1:{port}"],
        "gunicorn": lambda port: [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                                  "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
    }.items():  # fmt: skip
        port = free_port()
        log_path = tmp_path / f"{name}.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                command(port),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(
                name,
                lambda port=port: get(port, "/healthz", https=False)[0],
                seconds=120,
                process=server,
            )
            statuses = [get(port, url, https=False)[0] for url in urls]
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        outputs[name] = log_path.read_text()
        assert 404 in statuses and 200 in statuses, statuses

    assert_masked(outputs["runserver"], urls)
    assert_masked(outputs["gunicorn"], urls)
    assert "Not Found: /training/r/…0123/" in outputs["runserver"]
    assert '"GET /calendar/s/…' in outputs["runserver"]
    assert '"GET /calendar/s/…' in outputs["gunicorn"]
