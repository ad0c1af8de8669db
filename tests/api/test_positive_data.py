"""Schemathesis's positive-data check and stateful phase against a live server, as every caller
(anonymous, municipal, health office and center staff by Bearer token), on every operation of
the OpenAPI document: every request the document calls valid is accepted (2xx, or 401/403/404/409
for a caller, an id or a state that is not there; never a 400 or a 422), with ``--checks all``
(server errors, status codes, content types, response schemas and headers included). The
stateful phase follows the document's links (``config/openapi_links.py``): create → read →
update → cancel for events, registrations, visits and dispatches.

The hooks (``tests/api/positive_hooks.py``) point ids at the test world's rows and keep the
cross-field rules no schema states. Bounded (``EXAMPLES`` per operation, a fixed seed); on
SQLite and PostgreSQL: bin/test's slow stage and ``bin/test --fuzz``."""

import re

import pytest

from tests.api.fuzzing import caller_headers, explain, run_schemathesis
from tests.api.world import build_world, openapi, operations

EXAMPLES = {"anonymous": 3, "municipal": 5, "health_office": 5, "center": 10}
TRAINING_AND_ATTENDANCE = "^/api/(training|attendance)/"
CALLERS = {
    "anonymous": ("anonymous", []),
    "municipal": ("municipal", []),
    "health_office": ("health_office", []),
    "center-training-attendance": ("center", ["--include-path-regex", TRAINING_AND_ATTENDANCE]),
    "center-others": ("center", ["--exclude-path-regex", TRAINING_AND_ATTENDANCE]),
}

pytestmark = [pytest.mark.slow, pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


def selected(selection: list[str]) -> int:
    """How many operations of the document a caller's run selects."""
    paths = [path for _, path, _ in operations(openapi())]
    if not selection:
        return len(paths)
    option, pattern = selection
    hits = sum(1 for path in paths if re.search(pattern, path))
    return hits if option.startswith("--include") else len(paths) - hits


@pytest.mark.parametrize("caller", list(CALLERS))
def test_schema_valid_requests_are_accepted_by_every_operation(caller, live_server, tmp_path):
    role, selection = CALLERS[caller]
    world = build_world()
    options = ["--mode", "positive", "--checks", "all", "--max-examples", str(EXAMPLES[role])]
    options += ["--phases", "examples,fuzzing,stateful", *selection, *caller_headers(world, role)]

    result = run_schemathesis(
        live_server,
        tmp_path,
        options=options,
        hooks="tests.api.positive_hooks",
        ids=world.ids,
        role=role,
    )

    assert result.returncode == 0, explain(result)
    assert f"{selected(selection)} selected" in result.stdout, result.stdout[-3000:]
