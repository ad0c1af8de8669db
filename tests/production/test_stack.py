"""The production stack as operators run it (``bin/serve``): gunicorn with several workers,
PostgreSQL, django-q2 on the Redis broker with two job clusters at once, static files served
by the application, /healthz, logs on standard output, production settings (``check --deploy``
refuses on any warning before anything starts).

One bounded test: 300 phone registrations with an email (each told by email) and the trainee
reminders of tomorrow's training are made due; extra send jobs are queued so both clusters
send at once; every due message must be sent exactly once (each mail carries its Dispatch id).
Needs PostgreSQL and Debian's redis-server (REDIS_URL from .ci/run, or one started here)."""

import contextlib
import datetime as dt
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.fiscal import TOKYO

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, *, seconds: float, process=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the stack stopped while waiting for {what}")
        with contextlib.suppress(Exception):
            result = check()
            if result:
                return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def postgres_database(name: str) -> str:
    database = settings.DATABASES["default"]
    import psycopg

    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    with psycopg.connect(
        host=host,
        port=port,
        user=database["USER"],
        password=database["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{database['USER']}:{database['PASSWORD']}@{host}:{port}/{name}"


@pytest.fixture
def redis_url():
    """.ci/run's Redis (REDIS_URL, a database of its own here), else a redis-server of our own."""
    given = os.environ.get("STACK_REDIS_URL")
    if given:
        import redis

        redis.Redis.from_url(given).flushdb()
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing in CI")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)


def children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                found.append(int(stat.parent.name))
    return found


def command_of(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get(port: int, path: str, *, https: bool = True):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"} if https else {}
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, dict(response.getheaders()), body


def test_production_stack_sends_every_due_message_exactly_once(tmp_path, redis_url):
    port = free_port()
    mail = tmp_path / "mail"
    env = {
        key: value
        for key, value in os.environ.items()
        # what the test run relaxes (tests/settings.py, the browser fixture's async switch): the
        # stack runs as in production
        if key
        not in {
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "SECOND_FACTOR_REQUIRED",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://127.0.0.1",
            "DATABASE_URL": postgres_database("sasaeru_stack_test"),
            "REDIS_URL": redis_url,
            "SASAERU_VAR_DIR": str(tmp_path / "var"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail),
            "BIND": f"127.0.0.1:{port}",
            "WEB_WORKERS": "3",
            "WEB_THREADS": "4",
            "JOB_CLUSTERS": "2",
            "Q_WORKERS": "2",
            "NOTIFICATIONS_BATCH_SIZE": "20",
            "CONN_MAX_AGE": "60",
            "SASAERU_PYTHON": sys.executable,
            "PYTHONWARNINGS": "ignore",
            # Trainee reminders go out at this time of day: a few minutes ago, so the 1-day
            # reminders of tomorrow's training are due now, whatever the hour of the run.
            "TRAINING_REMINDER_TIME": (dt.datetime.now(TOKYO) - dt.timedelta(minutes=3)).strftime(
                "%H:%M"
            ),
        }
    )
    log_path = tmp_path / "serve.log"

    def script(*args):
        result = subprocess.run(
            [sys.executable, "-m", "tests.production.stack_script", *args],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    with open(log_path, "w") as log:
        stack = subprocess.Popen(
            [str(ROOT / "bin" / "serve")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for("/healthz", lambda: get(port, "/healthz")[0] == 200, seconds=240, process=stack)
        script("seed", "300")
        script("enqueue", "8")

        def states() -> list[list]:
            """Each due message's [id, kind, state, attempts], read straight from the stack's
            database (polled often: no Django process to start per poll)."""
            import psycopg

            with psycopg.connect(env["DATABASE_URL"]) as db:
                return [
                    list(row)
                    for row in db.execute(
                        "SELECT id, kind, state, attempts FROM notifications_dispatch"
                        " WHERE due_at <= now() ORDER BY id"
                    )
                ]

        def settled():
            rows = states()
            busy = [row for row in rows if row[2] in ("pending", "sending", "retrying")]
            return rows if rows and not busy else None

        rows = wait_for("every due message", settled, seconds=300, process=stack)
        # A feed link polled on fresh connections (so every web worker knows it), then revoked
        # by another process: within feeds.links.REVOCATION_CHECK_SECONDS every worker says 404.
        feed = f"/calendar/s/{script('link').strip()}.ics"
        polled = [get(port, feed)[0] for _ in range(24)]
        script("revoke")
        time.sleep(0.3)
        after_revoking = [get(port, feed)[0] for _ in range(24)]
        # Every kind of token URL: gunicorn's access log must show each token masked.
        token_urls = [feed, *json.loads(script("tokens").splitlines()[-1])]
        token_statuses = [get(port, url)[0] for url in token_urls]
        # The two live feed links among them, polled again: these fetches stay counted in the
        # web workers (one write per FEEDS_FETCH_FLUSH_SECONDS) until the workers stop.
        live_feeds = [url for url in token_urls[1:] if url.startswith("/calendar/s/")]
        repolled = [get(port, url)[0] for url in live_feeds for _ in range(12)]
        health = get(port, "/healthz")
        page = get(port, "/training/")
        static = get(port, "/static/css/app.css")
        plain = get(port, "/training/", https=False)
        plain_health = get(port, "/healthz", https=False)
        # A cluster dies (SIGKILL to its main process): bin/serve stops the others and exits
        # non-zero, so systemd's Restart=on-failure starts the stack again (issue #19).
        os.kill(
            next(pid for pid in children(stack.pid) if "qcluster" in command_of(pid)),
            signal.SIGKILL,
        )
        status_after_death = stack.wait(timeout=180)
        web_after_death = port_is_open(port)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(timeout=20)
    output = log_path.read_text()
    # Every worker wrote the feed fetches it had counted when it stopped: none of a live link is
    # lost (a revoked link's unwritten fetches are forgotten by design: feeds/links.py).
    fetches = int(script("fetches"))

    sent = {row[0] for row in rows if row[2] == "sent"}
    mailed = Counter(
        int(number)
        for path in mail.glob("*.log")
        for number in re.findall(r"X-Sasaeru-Dispatch: (\d+)", path.read_text())
    )
    kinds = Counter(row[1] for row in rows if row[2] == "sent")
    assert {state for _, _, state, _ in rows} <= {"sent", "missed"}, Counter(r[2] for r in rows)
    assert kinds["training.confirmed"] + kinds["training.waitlisted"] >= 300
    assert mailed and set(mailed) == sent
    assert max(mailed.values()) == 1, "a message was mailed twice"
    reminders = [row for row in rows if row[1] == "training.event_reminder"]
    assert Counter(row[2] for row in reminders)["sent"] == 20  # tomorrow's 1-day reminders

    assert health[0] == 200 and json.loads(health[2]) == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
    }
    assert page[0] == 200
    assert "script-src 'self'" in page[1]["Content-Security-Policy"]
    assert page[1]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert static[0] == 200 and b".progress" in static[2]
    assert plain[0] == 301
    assert plain[1]["Location"] == f"https://127.0.0.1:{port}/training/"
    assert plain_health[0] == 200
    assert set(polled) == {200}
    assert set(after_revoking) == {404}
    new_feeds = [
        status
        for url, status in zip(token_urls[1:], token_statuses[1:], strict=True)
        if url.startswith("/calendar/s/") and status == 200
    ]
    assert len(new_feeds) == 2
    assert set(repolled) == {200}
    assert fetches == len(new_feeds) + len(repolled)  # the token URLs' two live feed links
    assert output.count("Q Cluster") >= 2 and "gunicorn" in output.lower()
    assert re.search(r'"GET /healthz HTTP/1\.1" 200', output)
    assert status_after_death != 0
    assert "a process stopped by itself" in output
    assert web_after_death is False
    # No secret in the log: each token URL shows its last four characters only (issue #19).
    from core.log_masking import mask_path

    assert 200 in token_statuses and 404 in token_statuses
    leaked = [url for url in token_urls if url.split("/")[3].removesuffix(".ics") in output]
    assert leaked == []
    assert all(mask_path(url) in output for url in token_urls)
