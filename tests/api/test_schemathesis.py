"""Schemathesis against a live server, as three callers: anonymous, center staff by personal
token (writes included) and municipal staff by token. It fails on any 5xx, any answer that
contradicts its schema and any status code the document does not list (valid and invalid
requests: ``--mode all``). The positive-data and stateful phases, as every caller, are
``test_positive_data.py``; both run schemathesis through ``tests/api/fuzzing.py``.

Bounded: ``--max-examples`` per operation and a fixed seed, so that a failure replays with
``st run … --seed 20261130`` (the command is printed). On SQLite and on PostgreSQL
(``DATABASE_URL``): bin/test's slow stage, and ``bin/test --fuzz`` (CI's SQLite run)."""

import pytest

from tests.api.fuzzing import caller_headers, explain, run_schemathesis
from tests.api.world import build_world

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
EXAMPLES = {"anonymous": 4, "center": 12, "municipal": 4}

pytestmark = [pytest.mark.slow, pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


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
    options = ["--checks", CHECKS, "--max-examples", str(EXAMPLES[role])]
    options += ["--phases", "examples,fuzzing", *selection, *caller_headers(world, role)]

    result = run_schemathesis(live_server, tmp_path, options=options)

    assert result.returncode == 0, explain(result)
