"""The one way the suite runs schemathesis (pinned in pyproject) against a live server: the
command line, the callers' tokens and the environment, shared by ``test_schemathesis.py``
(conformance as every caller) and ``test_positive_data.py`` (the positive-data and stateful
phases as every caller).

Every run is bounded (``--max-examples`` per operation, a fixed seed) and replays outside the
suite with the ``st run … --seed 20261130`` line it prints on failure."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from directory.services import issue_api_token

SEED = "20261130"
ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
ROLES = ("anonymous", "municipal", "health_office", "center")
"""The callers: nobody, and a personal API token of each staff role (a Bearer token)."""


def st_command() -> str:
    found = Path(sys.executable).with_name("st")
    return str(found) if found.exists() else (shutil.which("st") or "st")


def caller_headers(world, role: str) -> list[str]:
    """The ``--header`` options that make schemathesis call as ``role`` (none: anonymous)."""
    user = world.users.get(role)
    if user is None:
        return []
    token = issue_api_token(user=user, label="schemathesis")[1]
    return ["--header", f"Authorization: Bearer {token}"]


def run_schemathesis(
    live_server,
    tmp_path,
    *,
    options: list[str],
    hooks: str | None = None,
    ids=None,
    role: str | None = None,
) -> subprocess.CompletedProcess:
    """``st run`` against the live server's OpenAPI document with the suite's fixed seed, one
    worker, no shrinking and a 30 s request timeout, plus ``options`` (checks, examples,
    phases, selection, headers). ``hooks`` names a hooks module (``SCHEMATHESIS_HOOKS``) and
    ``ids`` the test world's ids it reads (``SASAERU_POSITIVE_IDS``), ``role`` the caller
    (``SASAERU_POSITIVE_ROLE``)."""
    command = [
        st_command(),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/openapi.json",
        "--seed",
        SEED,
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        *options,
    ]
    environment = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false", "NO_COLOR": "1"}
    if hooks:
        environment["SCHEMATHESIS_HOOKS"] = hooks
        environment["PYTHONPATH"] = str(ROOT)
    if ids is not None:
        environment["SASAERU_POSITIVE_IDS"] = json.dumps(ids)
    if role is not None:
        environment["SASAERU_POSITIVE_ROLE"] = role
    return subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=tmp_path, env=environment
    )


def explain(result: subprocess.CompletedProcess) -> str:
    """The end of schemathesis's report (``FUZZ_EXPLAIN`` characters of it, default 8000)."""
    keep = int(os.environ.get("FUZZ_EXPLAIN", "8000"))
    return f"{result.stdout[-keep:]}\n{result.stderr[-2000:]}"
