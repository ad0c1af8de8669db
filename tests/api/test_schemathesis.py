"""Schemathesis (pinned in pyproject) against a live server, as three callers: anonymous, center
staff by personal token (writes included) and municipal staff by token. It fails on any 5xx, any
answer that contradicts its schema and any status code the document does not list.

Bounded: ``--max-examples`` per operation and a fixed seed, so that a failure replays with
``st run … --seed 20261130`` (the command is printed). On SQLite and on PostgreSQL
(``DATABASE_URL``), as part of the suite's slow stage (bin/test)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from directory.services import issue_api_token
from tests.api.world import build_world

SEED = "20261130"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
EXAMPLES = {"anonymous": 4, "center": 12, "municipal": 4}

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def st_command() -> str:
    found = Path(sys.executable).with_name("st")
    return str(found) if found.exists() else (shutil.which("st") or "st")


# One test per caller, center staff's run in two halves by path (it has three times the examples
# and makes the writes), so that bin/test's parallel stage spreads them over its processes.
TRAINING_AND_ATTENDANCE = "^/api/(training|attendance)/"
CALLERS = {
    "anonymous": ("anonymous", []),
    "center-training-attendance": ("center", ["--include-path-regex", TRAINING_AND_ATTENDANCE]),
    "center-others": ("center", ["--exclude-path-regex", TRAINING_AND_ATTENDANCE]),
    "municipal": ("municipal", []),
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    caller, live_server, tmp_path
):
    role, selection = CALLERS[caller]
    world = build_world()
    users = {"center": world.center, "municipal": world.municipal}
    command = [
        st_command(),
        "run",
        f"{live_server.url}/api/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES[role]),
        "--seed",
        SEED,
        "--phases",
        "examples,fuzzing",
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        *selection,
    ]
    if role in users:
        token = issue_api_token(user=users[role], label="schemathesis")[1]
        command += ["--header", f"Authorization: Bearer {token}"]

    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"},
    )

    assert result.returncode == 0, f"{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
