"""Schemathesis's positive-data check against a live server as center staff: every request the
OpenAPI document calls valid is accepted (2xx, or 404/409 for an id or a state that is not
there), for the operations whose rules the document states (``POSITIVE_OPERATIONS``). Bounded
(``--max-examples``, a fixed seed); on SQLite and on PostgreSQL as part of the slow stage."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from directory.services import issue_api_token
from tests.api.test_schemathesis import SEED, st_command
from tests.api.world import build_world

POSITIVE_OPERATIONS = {
    "POST": [
        "/api/supervision/targets",
        "/api/supervision/plans",
        "/api/supervision/visits",
        "/api/supervision/visits/series",
        "/api/supervision/visits/{visit_id}/complete",
        "/api/supervision/visits/{visit_id}/cancel",
        "/api/supervision/visits/{visit_id}/postpone",
    ],
    "PUT": ["/api/notifications/reminder-days"],
}
EXAMPLES = 25
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_schema_valid_requests_are_accepted(live_server, tmp_path):
    world = build_world()
    token = issue_api_token(user=world.center, label="schemathesis")[1]
    paths = "|".join(
        path.replace("{", r"\{").replace("}", r"\}")
        for paths in POSITIVE_OPERATIONS.values()
        for path in paths
    )
    command = [
        st_command(),
        "run",
        f"{live_server.url}/api/openapi.json",
        "--mode",
        "positive",
        "--checks",
        "not_a_server_error,positive_data_acceptance",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        SEED,
        "--phases",
        "examples,fuzzing",
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "30",
        "--include-path-regex",
        f"^({paths})$",
        "--include-method-regex",
        "^(POST|PUT)$",
        "--header",
        f"Authorization: Bearer {token}",
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env={
            **os.environ,
            "SCHEMATHESIS_TELEMETRY": "false",
            "NO_COLOR": "1",
            "SCHEMATHESIS_HOOKS": "tests.api.positive_hooks",
            "PYTHONPATH": str(ROOT),
            "SASAERU_POSITIVE_IDS": json.dumps(world.ids),
        },
    )

    assert result.returncode == 0, f"{result.stdout[-8000:]}\n{result.stderr[-2000:]}"
    assert f"{sum(map(len, POSITIVE_OPERATIONS.values()))} selected" in result.stdout, (
        result.stdout[-3000:]
    )
