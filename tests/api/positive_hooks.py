"""Schemathesis hooks for the positive-data run (``test_positive_data.py``), loaded through
``SCHEMATHESIS_HOOKS``. They change only what no schema can state:

- ids in a request body name rows of the test world (``SASAERU_POSITIVE_IDS``, JSON): an id
  that names no row is the sender's mistake in that field (a 422 naming it), a matter of the
  database's state, not of the request's shape;
- cross-field order: an end after its start, a series without the same moment twice (the
  same instant can be written with two offsets, which ``uniqueItems`` cannot see);
- a plan's ``reason``: required when the target's plan for that year exists with another
  number (a revision), which depends on the database; the run always gives one.

Every other rule (lengths, characters, date bounds, enums, "exactly one of") is the
document's, and the generated values keep it."""

import datetime as dt
import json
import os

import schemathesis

IDS = json.loads(os.environ.get("SASAERU_POSITIVE_IDS", "{}"))


def _path(context) -> str:
    return context.operation.path if context.operation is not None else ""


def _moment(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))


@schemathesis.hook
def map_body(context, body):
    if not isinstance(body, dict):
        return body
    body = dict(body)
    for name in ("target_id", "municipality_id", "district_id", "organization_id"):
        if body.get(name) is not None:
            body[name] = IDS[name.removesuffix("_id")]
    if body.get("staff_ids"):
        body["staff_ids"] = [IDS["staff"]]
    topic = body.get("topic")
    if _path(context).endswith("/reminder-days") and isinstance(topic, str) and ":" in topic:
        body["topic"] = f"{topic.partition(':')[0]}:{IDS['event']}"
    return body


@schemathesis.hook
def filter_body(context, body):
    if not isinstance(body, dict):
        return True
    for start, end in (("starts_at", "ends_at"), ("new_starts_at", "new_ends_at")):
        both = isinstance(body.get(start), str) and isinstance(body.get(end), str)
        if both and _moment(body[end]) <= _moment(body[start]):
            return False
    if _path(context).endswith("/plans") and not str(body.get("reason", "")).strip():
        return False
    series = body.get("starts_at")
    if isinstance(series, list):
        return len({_moment(value) for value in series}) == len(series)
    return True
