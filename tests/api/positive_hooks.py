"""Schemathesis hooks for the positive-data run (``test_positive_data.py``), loaded through
``SCHEMATHESIS_HOOKS``. They change only what no schema can state, because it depends on the
database, the caller or the clock:

- ids name rows of the test world (``tests/api/world.py``, passed as ``SASAERU_POSITIVE_IDS``):
  in the path (an event with a part, registrations, a roster entry, an imported attendee, a
  plan, a visit, a lecturer dispatch, a notification dispatch, a subscription), so that the
  run reaches the operations' work rather than their 404 (the writes that end or move a row —
  cancel, publish, an edit — get spare rows, so that the others stay open), and in the body (``*_id`` and
  ``*_ids``; a calendar link's ``target_id`` after its ``kind``), since an unknown id in a body
  is the sender's mistake in that field (a 422 naming it). An id the stateful phase takes from
  an earlier answer (a link) is not generated, so it is kept;
- cross-field order: an end after its start (an event's edit sends both ends or neither, since
  one end alone is compared with the stored other), a series without the same moment twice (the
  same instant can be written with two offsets, which ``uniqueItems`` cannot see), a report's
  ``as_of`` inside its fiscal year;
- the caller (``SASAERU_POSITIVE_ROLE``): the public (and staff other than the center's)
  registers with an email address through the web (center staff may register someone by
  phone, which the document allows);
- the database's state: staff registering the same address twice is a duplicate (each staff
  registration gets an address of its own); a plan's ``reason`` (required for a revision) and
  an attendance ``reason`` (required once the roster is closed) are always given;
- the clock: a case meeting is not recorded before it is held (``held_on`` after today is
  moved to today).

Every other rule (lengths, characters, date bounds, enums, "exactly one of") is the
document's, and the generated values keep it."""

import datetime as dt
import itertools
import json
import os

import schemathesis

IDS = json.loads(os.environ.get("SASAERU_POSITIVE_IDS", "{}"))
ROLE = os.environ.get("SASAERU_POSITIVE_ROLE", "center")
COUNTER = itertools.count(1)
TOKYO = dt.timezone(dt.timedelta(hours=9))
BODY_IDS = {
    "municipality_id": "municipality",
    "district_id": "district",
    "organization_id": "organization",
    "block_id": "block",
    "co_host_district_id": "co_host_district",
    "course_id": "course",
    "exclude_visit_id": "exclude_visit",
}
LIST_IDS = {"staff_ids": "staff", "lecturer_ids": "lecturer", "entry_ids": "entry"}
SUBSCRIPTION_TARGETS = {
    "municipality": "municipality",
    "district": "district",
    "block": "block",
    "staff": "staff",
}
REASONS = ("/status", "/check-in/bulk", "/walk-ins")
PAIRS = (("starts_at", "ends_at"), ("registration_opens_at", "registration_closes_at"))


def _path(context) -> str:
    return context.operation.path if context.operation is not None else ""


def _moment(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))


PATH_IDS = {
    "event_id": "event",
    "entry_id": "entry",
    "attendee_id": "attendee",
    "part_id": "part",
    "registration_id": "registration",
    "plan_id": "plan",
    "visit_id": "visit",
    "municipality_id": "municipality",
    "organization_id": "organization",
    "subscription_id": "subscription",
}


SPARE = {
    ("post", "/api/training/events/{event_id}/cancel"): "spare_event",
    ("post", "/api/training/events/{event_id}/publish"): "spare_event",
    ("patch", "/api/training/events/{event_id}/manage"): "spare_event",
    ("post", "/api/supervision/visits/{visit_id}/cancel"): "spare_visit",
    ("patch", "/api/supervision/visits/{visit_id}"): "spare_visit",
    ("post", "/api/supervision/dispatches/{dispatch_id}/cancel"): "spare_lecturer_dispatch",
}
"""The writes that end or move a row get a spare one of the world (the others keep theirs)."""


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    if not isinstance(path_parameters, dict) or not IDS:
        return path_parameters
    parameters = dict(path_parameters)
    path = _path(context)
    method = context.operation.method.lower() if context.operation is not None else ""
    for name in parameters:
        if (method, path) in SPARE and name != "part_id":
            parameters[name] = IDS[SPARE[(method, path)]]
        elif name == "dispatch_id":
            kind = "lecturer_dispatch" if "/supervision/" in path else "dispatch"
            parameters[name] = IDS[kind]
        elif name in PATH_IDS:
            parameters[name] = IDS[PATH_IDS[name]]
    return parameters


@schemathesis.hook
def map_body(context, body):
    if not isinstance(body, dict) or not IDS:
        return body
    body = dict(body)
    path = _path(context)
    for name, kind in BODY_IDS.items():
        if body.get(name) is not None:
            body[name] = IDS[kind]
    for name, kind in LIST_IDS.items():
        if body.get(name):
            body[name] = [IDS[kind]]
    if body.get("target_id") is not None:
        kind = SUBSCRIPTION_TARGETS.get(body.get("kind")) if "/feeds/" in path else "target"
        body["target_id"] = IDS[kind or "target"]
    topic = body.get("topic")
    if path.endswith("/reminder-days") and isinstance(topic, str) and ":" in topic:
        body["topic"] = f"{topic.partition(':')[0]}:{IDS['event']}"
    if path.endswith("/manage"):
        for pair in PAIRS:  # one end alone is compared with the stored other end
            if not all(body.get(name) is not None for name in pair):
                for name in pair:
                    body.pop(name, None)
    if path.endswith("/registrations") and ROLE != "center":
        body["source"] = "web"
        if not body.get("email"):
            body["email"] = "fuzz@example.org"
    elif path.endswith("/registrations") and body.get("email"):
        body["email"] = f"fuzz{next(COUNTER)}@example.org"  # staff: a duplicate is a 422
    if path.endswith(REASONS) and not str(body.get("reason") or "").strip():
        body["reason"] = "記録の訂正"
    held_on = body.get("held_on")
    today = dt.datetime.now(TOKYO).date().isoformat()
    if isinstance(held_on, str) and held_on > today:
        body["held_on"] = today
    return body


@schemathesis.hook
def map_case(context, case):
    """A report's ``as_of`` inside its fiscal year (April to March)."""
    if not _path(context).startswith("/api/reports/fiscal-year/"):
        return case
    year = case.path_parameters.get("fy") if case.path_parameters else None
    as_of = (case.query or {}).get("as_of")
    if isinstance(year, int) and isinstance(as_of, str) and as_of:
        case.query = {**case.query, "as_of": f"{year}-04-01"}
    return case


@schemathesis.hook
def filter_body(context, body):
    if not isinstance(body, dict):
        return True
    for start, end in (*PAIRS, ("new_starts_at", "new_ends_at")):
        both = isinstance(body.get(start), str) and isinstance(body.get(end), str)
        if both and _moment(body[end]) <= _moment(body[start]):
            return False
    if _path(context).endswith("/plans") and not str(body.get("reason", "")).strip():
        return False
    series = body.get("starts_at")
    if isinstance(series, list):
        return len({_moment(value) for value in series}) == len(series)
    return True
