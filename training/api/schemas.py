"""The training API's request and response schemas."""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from core import vocabulary
from core.inputs import (
    INT32_MAX,
    Choice,
    DateTime,
    FiscalYear,
    Id,
    IdList,
    InputSchema,
    Integer,
    Keep,
    ListedIn,
    Number,
    OptionalEmail,
    Text,
    column,
)
from core.pagination import FiscalYearFilter, QueryFilter
from training.models import Audience, Course, Event, EventPart, Lecturer, Registration


class EventOut(Schema):
    id: int
    label: str
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    is_online: bool
    capacity: int | None
    seats_left: int | None
    course_id: Id | None
    audiences: list[str]
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime
    registration_is_open: bool

    @staticmethod
    def resolve_registration_closes_at(obj):
        return obj.registration_window()[1]

    @staticmethod
    def resolve_registration_is_open(obj):
        return obj.registration_is_open()


class EventStaffOut(EventOut):
    sequence: int
    updated_at: dt.datetime
    cancelled_at: dt.datetime | None
    confirmed_count: int
    waitlisted_count: int
    block_id: Id | None
    co_host_district_id: Id | None
    promotion_cutoff_hours: float

    @staticmethod
    def resolve_promotion_cutoff_hours(obj):
        return obj.promotion_cutoff.total_seconds() / 3600


class EventDetailStaffOut(EventStaffOut):
    join_url: str
    description: str


Capacity = Annotated[
    Integer(-INT32_MAX - 1, INT32_MAX),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": INT32_MAX}),
]
"""Seats: the document says 0 or more; a negative one reaches the service, which says why it is
refused (「定員を負の値にはできません。」)."""
JOIN_URL = {
    "type": "string",
    "maxLength": Event._meta.get_field("join_url").max_length,
    "pattern": (
        r"^(|https?://([a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?\.){1,3}[a-z]{2,6}"
        r"(/[A-Za-z0-9._~-]{0,40}){0,4})$"
    ),
}
"""An online meeting's link: empty, or an http(s) address (the service checks it with
Django's URL validator; the pattern states a plain subset of what it accepts)."""
CutoffHours = Number(0, 24 * 366)
Audiences = Annotated[list[Choice(Audience)], Field(max_length=20)]
EventKind = Choice(Event.Kind)
NewEventStatus = Choice([(Event.Status.DRAFT, ""), (Event.Status.PUBLISHED, "")])


class EventIn(InputSchema):
    title: column(Event, "title")
    kind: EventKind
    starts_at: DateTime
    ends_at: DateTime
    capacity: Capacity | None = None
    status: NewEventStatus = "draft"
    label: column(Event, "label") = ""
    course_id: Id | None = None
    description: column(Event, "description") = ""
    venue: column(Event, "venue") = ""
    join_url: Annotated[column(Event, "join_url"), WithJsonSchema(JOIN_URL)] = ""
    registration_opens_at: DateTime | None = None
    registration_closes_at: DateTime | None = None
    audiences: Audiences = []
    promotion_cutoff_hours: CutoffHours = 48
    block_id: Id | None = None
    co_host_district_id: Id | None = None


class EventPatch(InputSchema):
    """Only the fields sent change; ``null`` clears the capacity (no limit) and is refused for
    the others (leave a field out to keep it)."""

    title: Keep(column(Event, "title", required=True)) = None
    kind: Keep(EventKind) = None
    starts_at: Keep(DateTime) = None
    ends_at: Keep(DateTime) = None
    capacity: Capacity | None = None
    label: Keep(column(Event, "label")) = None
    description: Keep(column(Event, "description")) = None
    venue: Keep(column(Event, "venue")) = None
    join_url: Keep(Annotated[column(Event, "join_url"), WithJsonSchema(JOIN_URL)]) = None
    registration_opens_at: Keep(DateTime) = None
    registration_closes_at: Keep(DateTime) = None
    audiences: Keep(Audiences) = None
    promotion_cutoff_hours: Keep(CutoffHours) = None


ENTER_YOUR_NAME = gettext_lazy("Please enter your name.")
ENTER_THE_NAME = gettext_lazy("Please enter the name.")
ENTER_THE_TITLE = gettext_lazy("Please enter the title.")


class RegistrationIn(InputSchema):
    """A name, and an email address or a phone number (the public: an email address, ``source``
    web; staff may register someone by phone)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["email"], "properties": {"email": {"minLength": 1}}},
                {"required": ["phone"], "properties": {"phone": {"minLength": 1}}},
            ]
        },
    )

    name: column(Registration, "name", required=True, blank_message=ENTER_YOUR_NAME)
    kana: column(Registration, "kana") = ""
    email: OptionalEmail(Registration._meta.get_field("email").max_length) = ""
    phone: column(Registration, "phone") = ""
    affiliation_type: Annotated[
        column(Registration, "affiliation_type"), ListedIn(vocabulary.affiliation_values)
    ]
    organization: column(Registration, "organization") = ""
    municipality_id: Id | None = None
    job_title: column(Registration, "job_title") = ""
    language: Choice(Registration.Language) = "ja"
    source: Choice(Registration.Source) = "web"


class RegistrationOut(Schema):
    id: int
    status: str
    position: int | None
    event_id: Id


class RegistrationAnswerOut(Schema):
    """The answer to a registration. A web registration answers only that the email was sent
    (``id`` and ``position`` null), the same whether the address was new or already registered;
    a staff registration answers the registration."""

    id: int | None
    status: str
    position: int | None
    event_id: int
    detail: str = ""


class RegistrationStaffOut(RegistrationOut):
    name: str
    kana: str
    email: str
    phone: str
    affiliation_type: str
    organization: str
    municipality_id: Id | None
    job_title: str
    language: str
    source: str
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    cancelled_at: dt.datetime | None


Token = Text(100, required=True)


class TokenIn(InputSchema):
    token: Token


class RegistrationCancelIn(InputSchema):
    token: Token | None = None


class CourseIn(InputSchema):
    fiscal_year: FiscalYear
    title: column(Course, "title", required=True)
    description: column(Course, "description") = ""


class CourseOut(Schema):
    id: int
    fiscal_year: int
    title: str
    description: str


class LecturerIn(InputSchema):
    name: column(Lecturer, "name", required=True, blank_message=ENTER_THE_NAME)
    kana: column(Lecturer, "kana") = ""
    affiliation: column(Lecturer, "affiliation") = ""
    title: column(Lecturer, "title") = ""
    honorific: column(Lecturer, "honorific") = ""
    print_style: Choice(Lecturer.PrintStyle) = Lecturer.PrintStyle.AFFILIATION


class LecturerOut(Schema):
    id: int
    name: str
    kana: str
    affiliation: str
    title: str
    honorific: str
    print_style: str


class SpeakerOut(Schema):
    lecturer_id: Id
    name: str
    affiliation: str
    title: str
    honorific: str
    role: str

    @staticmethod
    def resolve_name(obj):
        return obj.lecturer.name

    @staticmethod
    def resolve_affiliation(obj):
        return obj.lecturer.affiliation

    @staticmethod
    def resolve_title(obj):
        return obj.lecturer.title

    @staticmethod
    def resolve_honorific(obj):
        return obj.lecturer.honorific


class PartIn(InputSchema):
    kind: Choice(EventPart.Kind)
    title: column(EventPart, "title", required=True, blank_message=ENTER_THE_TITLE)
    lecturer_ids: IdList(50) = []


class PartOut(Schema):
    id: int
    order: int
    kind: str
    title: str
    speakers: list[SpeakerOut]

    @staticmethod
    def resolve_speakers(obj):
        return obj.speakers.all()


class EmailOut(Schema):
    id: int
    kind: str
    recipient: str
    due_at: dt.datetime
    sent_at: dt.datetime | None
    subject: str
    state: str


# --- the list filters (query string) ------------------------------------------------------


class EventFilter(FiscalYearFilter):
    """``/all-events``: by the fiscal year of the start, and by status."""

    status: Choice(Event.Status) | None = None


class CourseFilter(QueryFilter):
    fiscal_year: FiscalYear | None = None
