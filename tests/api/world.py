"""A small world with one row of every kind the API addresses by id, and the helpers that read
the OpenAPI document: which operations exist, a plausible value for each parameter, and the
state of every table (to prove that a refused request wrote nothing)."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from config.api import api
from core.fiscal import TOKYO
from directory.models import Block, District, Municipality, PartnerOrganization
from tests.factories import UserFactory

APPS = {
    "core",
    "directory",
    "notifications",
    "training",
    "supervision",
    "attendance",
    "surveys",
    "feeds",
    "reports",
}
METHODS = ("get", "post", "put", "patch", "delete")
FUTURE = dt.datetime(2030, 6, 10, 10, 0, tzinfo=TOKYO)


def openapi() -> dict:
    return api.get_openapi_schema()


def operations(document: dict | None = None) -> list[tuple[str, str, dict]]:
    document = document or openapi()
    return [
        (method, path, operation)
        for path, item in sorted(document["paths"].items())
        for method, operation in item.items()
        if method in METHODS
    ]


def resolve(schema: dict, document: dict) -> dict:
    """The schema behind a $ref, and the non-null branch of ``anyOf [X, null]``."""
    while True:
        if "$ref" in schema:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in schema:
            branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
            schema = branches[0]
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _questionnaire(event, center) -> None:
    """The event's questionnaire with two paper sheets, each with a comment."""
    from surveys import services

    survey = services.create_survey(actor=center, event_id=event.pk)
    names = {q.code: services.field_name(q) for q in survey.questions.all()}
    for comment in ("良かった", "また参加したい"):
        data = {names["satisfaction"]: ["5"], names["understanding"]: ["4"]}
        data |= {names["usefulness"]: ["4"], names["comments"]: [comment]}
        services.enter_paper_sheet(actor=center, survey_id=survey.pk, data=data)


@dataclass
class World:
    center: object
    municipal: object
    ids: dict

    def path_id(self, path: str, name: str) -> int:
        if name == "dispatch_id":
            return self.ids["lecturer_dispatch" if "/supervision/" in path else "dispatch"]
        if name == "fy":
            return 2021
        return self.ids[name.removesuffix("_id")]

    def url(self, path: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(self.path_id(path, m.group(1))), path)

    def value(self, name: str, schema: dict, document: dict):
        """A plausible value for a parameter or a field (the first allowed one, or an existing
        row for an id)."""
        schema = resolve(schema, document)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "array":
            item = resolve(schema.get("items", {}), document)
            if name.endswith("_ids") and item.get("type") == "integer":
                return [self.ids.get(name.removesuffix("_ids"), self.ids["staff"])]
            return []
        if kind == "integer":
            if name == "fiscal_year":
                return 2021
            if name.endswith("_id"):
                return self.ids.get(name.removesuffix("_id"), 1)
            return max(schema.get("minimum", 1), 1)
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        if schema.get("format") == "date-time":
            return FUTURE.isoformat()
        if schema.get("format") == "date":
            return FUTURE.date().isoformat()
        if name == "topic":
            return f"training.event:{self.ids['event']}"
        return "テスト"

    def body(self, operation: dict, document: dict) -> dict | None:
        """A body with every required field filled in (plausible, not necessarily accepted)."""
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        schema = resolve(content["application/json"]["schema"], document)
        return {
            name: self.value(name, field, document)
            for name, field in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }


def build_world() -> World:
    """One row of every kind, through the models (arranging, not what is tested)."""
    from attendance.models import ImportedAttendee, OnlineImport, Roster, RosterEntry
    from feeds.models import Subscription
    from notifications.models import Dispatch
    from supervision.models import LecturerDispatch, Plan, Target, Visit
    from tests.training.factories import (
        CourseFactory,
        EventFactory,
        LecturerFactory,
        RegistrationFactory,
    )
    from training.models import EventPart

    center = UserFactory(username="fuzz-center", role="center")
    municipality = Municipality.objects.order_by("pk").first()
    municipal = UserFactory(username="fuzz-municipal", role="municipal", municipality=municipality)
    event = EventFactory(course=CourseFactory())
    registration = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")
    lecturer = LecturerFactory()
    part = EventPart.objects.create(event=event, kind="lecture", title="講義")
    Roster.objects.create(event=event)
    entry = RosterEntry.objects.create(
        event=event,
        registration=registration,
        source=RosterEntry.Source.REGISTRATION,
        name=registration.name,
        kana=registration.kana,
        affiliation_type=registration.affiliation_type,
    )
    online_import = OnlineImport.objects.create(
        event=event,
        filename="zoom.csv",
        format="zoom",
        format_label="Zoom",
        encoding="UTF-8",
        rows=1,
        minimum_minutes=60,
        uploaded_by=center,
    )
    attendee = ImportedAttendee.objects.create(
        online_import=online_import,
        name="来場 花子",
        minutes=90,
        lines="2",
        resolution=ImportedAttendee.Resolution.UNMATCHED,
    )
    target = Target.objects.filter(municipality=municipality).first()
    plan = Plan.objects.create(target=target, fiscal_year=2021, planned=5)
    visit = Visit.objects.create(
        target=target,
        kind=Visit.Kind.SUPERVISION,
        starts_at=FUTURE,
        ends_at=FUTURE + dt.timedelta(hours=2),
    )
    lecturer_dispatch = LecturerDispatch.objects.create(
        title="講演会",
        host="土佐市社会福祉協議会",
        starts_at=FUTURE,
        ends_at=FUTURE + dt.timedelta(hours=2),
    )
    subscription = Subscription.objects.create(
        kind="municipality",
        label="テスト",
        municipality=municipality,
        token_hash=hashlib.sha256(b"fuzz").hexdigest(),
        created_by=center,
    )
    dispatch = Dispatch.objects.filter(pk__gt=0).first() or dispatch_for(registration)
    _questionnaire(event, center)
    return World(
        center=center,
        municipal=municipal,
        ids={
            "event": event.pk,
            "registration": waiting.pk,
            "entry": entry.pk,
            "attendee": attendee.pk,
            "part": part.pk,
            "lecturer": lecturer.pk,
            "plan": plan.pk,
            "visit": visit.pk,
            "target": target.pk,
            "lecturer_dispatch": lecturer_dispatch.pk,
            "dispatch": dispatch.pk,
            "subscription": subscription.pk,
            "municipality": municipality.pk,
            "organization": PartnerOrganization.objects.order_by("pk").first().pk,
            "block": Block.objects.order_by("pk").first().pk,
            "district": District.objects.order_by("pk").first().pk,
            "co_host_district": District.objects.order_by("pk").first().pk,
            "course": event.course_id,
            "staff": center.pk,
            "exclude_visit": visit.pk,
        },
    )


def dispatch_for(registration):
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Dispatch

    return Dispatch.objects.create(
        kind="training.confirmed",
        topic=f"training.event:{registration.event_id}",
        content_type=ContentType.objects.get_for_model(registration),
        object_id=registration.pk,
        recipient=registration.email,
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )


def table_state() -> dict[str, str]:
    """A digest of every row of every table of the project's apps."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return state
