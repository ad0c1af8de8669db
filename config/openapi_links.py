"""The links between operations in the OpenAPI document (OpenAPI 3 ``links``): what a client
(and schemathesis's stateful phase) can do next with the row an answer names — create → read →
update → cancel for training events, registrations, visits and lecturer dispatches, plus plans,
parts, walk-ins and calendar links.

Each link is declared once here, by the operations' methods and paths; ``add_links`` writes it
into the answer of the source operation with the target's ``operationId``. A link whose source
or target is not in the document is an error (``tests/api/test_openapi.py``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    name: str
    source: tuple[str, str, str]  # method, path, status of the answer
    target: tuple[str, str]  # method, path
    parameters: dict[str, str]


def _from(source, status, targets: dict[str, tuple[str, str, dict[str, str]]]) -> list[Link]:
    method, path = source
    return [
        Link(name, (method, path, status), (target_method, target_path), parameters)
        for name, (target_method, target_path, parameters) in targets.items()
    ]


_EVENT = "/api/training/events/{event_id}"
_VISIT = "/api/supervision/visits/{visit_id}"
_REGISTRATION = "/api/training/registrations/{registration_id}"
_DISPATCH = "/api/supervision/dispatches/{dispatch_id}"
_PLAN = "/api/supervision/plans/{plan_id}"
_BY_ID = "$response.body#/id"
"""The id of the row the answer is (an event, a plan, a part …)."""
_EVENT_ID = {"event_id": _BY_ID}
_VISIT_ID = {"visit_id": "$response.body#/visit/id"}

LINKS: list[Link] = [
    # a training event: create → read → update → publish → register → cancel
    *_from(
        ("post", "/api/training/events"),
        "201",
        {
            "ReadEvent": ("get", _EVENT, _EVENT_ID),
            "ReadEventForStaff": ("get", f"{_EVENT}/manage", _EVENT_ID),
            "UpdateEvent": ("patch", f"{_EVENT}/manage", _EVENT_ID),
            "PublishEvent": ("post", f"{_EVENT}/publish", _EVENT_ID),
            "AddPart": ("post", f"{_EVENT}/parts", _EVENT_ID),
            "ListParts": ("get", f"{_EVENT}/parts", _EVENT_ID),
            "Register": ("post", f"{_EVENT}/registrations", _EVENT_ID),
            "ListRegistrations": ("get", f"{_EVENT}/registrations", _EVENT_ID),
            "CancelEvent": ("post", f"{_EVENT}/cancel", _EVENT_ID),
        },
    ),
    *_from(
        ("post", f"{_EVENT}/publish"),
        "200",
        {
            "ReadPublishedEvent": ("get", _EVENT, _EVENT_ID),
            "RegisterForPublishedEvent": ("post", f"{_EVENT}/registrations", _EVENT_ID),
            "CancelPublishedEvent": ("post", f"{_EVENT}/cancel", _EVENT_ID),
        },
    ),
    *_from(
        ("patch", f"{_EVENT}/manage"),
        "200",
        {"ReadUpdatedEvent": ("get", f"{_EVENT}/manage", _EVENT_ID)},
    ),
    *_from(
        ("post", f"{_EVENT}/parts"),
        "201",
        {
            "RemovePart": (
                "delete",
                f"{_EVENT}/parts/{{part_id}}",
                {"event_id": "$request.path.event_id", "part_id": _BY_ID},
            )
        },
    ),
    # a registration: register → list → promote or cancel
    *_from(
        ("post", f"{_EVENT}/registrations"),
        "201",
        {
            "CancelRegistration": (
                "post",
                f"{_REGISTRATION}/cancel",
                {"registration_id": _BY_ID},
            ),
            "PromoteRegistration": (
                "post",
                f"{_REGISTRATION}/promote",
                {"registration_id": _BY_ID},
            ),
            "ListEventRegistrations": (
                "get",
                f"{_EVENT}/registrations",
                {"event_id": "$request.path.event_id"},
            ),
        },
    ),
    # a walk-in on the roster: add → record attendance → certificate
    *_from(
        ("post", "/api/attendance/events/{event_id}/walk-ins"),
        "201",
        {
            "RecordWalkIn": (
                "post",
                "/api/attendance/entries/{entry_id}/status",
                {"entry_id": _BY_ID},
            ),
            "CertifyWalkIn": (
                "post",
                "/api/attendance/entries/{entry_id}/certificate",
                {"entry_id": _BY_ID},
            ),
        },
    ),
    # a visit: schedule → read → update → complete, postpone or cancel
    *_from(
        ("post", "/api/supervision/visits"),
        "200",
        {
            "ReadVisit": ("get", _VISIT, _VISIT_ID),
            "UpdateVisit": ("patch", _VISIT, _VISIT_ID),
            "PostponeVisit": ("post", f"{_VISIT}/postpone", _VISIT_ID),
            "CompleteVisit": ("post", f"{_VISIT}/complete", _VISIT_ID),
            "CancelVisit": ("post", f"{_VISIT}/cancel", _VISIT_ID),
        },
    ),
    *_from(
        ("patch", _VISIT),
        "200",
        {
            "ReadUpdatedVisit": ("get", _VISIT, {"visit_id": "$request.path.visit_id"}),
            "CancelUpdatedVisit": (
                "post",
                f"{_VISIT}/cancel",
                {"visit_id": "$request.path.visit_id"},
            ),
        },
    ),
    *_from(
        ("post", "/api/supervision/visits/series"),
        "200",
        {
            "ReadFirstVisitOfSeries": ("get", _VISIT, {"visit_id": "$response.body#/visits/0/id"}),
            "CancelFirstVisitOfSeries": (
                "post",
                f"{_VISIT}/cancel",
                {"visit_id": "$response.body#/visits/0/id"},
            ),
        },
    ),
    # a lecturer dispatch: record → cancel
    *_from(
        ("post", "/api/supervision/dispatches"),
        "200",
        {"CancelDispatch": ("post", f"{_DISPATCH}/cancel", {"dispatch_id": _BY_ID})},
    ),
    # a yearly plan: set → read → its revisions
    *_from(
        ("post", "/api/supervision/plans"),
        "200",
        {
            "ReadPlan": ("get", _PLAN, {"plan_id": _BY_ID}),
            "ReadPlanRevisions": ("get", f"{_PLAN}/revisions", {"plan_id": _BY_ID}),
        },
    ),
    # a calendar link: issue → revoke
    *_from(
        ("post", "/api/feeds/subscriptions"),
        "201",
        {
            "RevokeSubscription": (
                "delete",
                "/api/feeds/subscriptions/{subscription_id}",
                {"subscription_id": _BY_ID},
            )
        },
    ),
]


def add_links(document: dict) -> dict:
    """Write ``LINKS`` into the document's answers (by the targets' ``operationId``)."""
    paths = document["paths"]
    for link in LINKS:
        method, path, status = link.source
        target_method, target_path = link.target
        target = paths[target_path][target_method]
        answer = paths[path][method]["responses"][status]
        answer.setdefault("links", {})[link.name] = {
            "operationId": target["operationId"],
            "parameters": dict(link.parameters),
        }
    return document
