"""The training API under /api/training/.

Public (no account): ``GET /events`` and ``GET /events/{id}`` (published trainings, no private
field), ``POST /events/{id}/registrations`` (a web registration, or a phone/fax one when the
caller is authenticated staff), ``POST /registrations/confirm`` and ``POST /registrations/me``
(with the token of the emailed link), ``POST /registrations/{id}/cancel`` (staff, or the
registrant with the token of their management link).

Staff: ``POST /events``, ``GET /all-events``, ``GET|PATCH /events/{id}/manage``,
``POST /events/{id}/publish``, ``POST /events/{id}/cancel``, ``GET /events/{id}/registrations``,
``POST /registrations/{id}/promote``, ``GET|POST /courses``, ``GET /events/{id}/emails``,
``GET|POST /lecturers``, ``POST /events/{id}/parts``, ``DELETE /events/{id}/parts/{part_id}``;
public ``GET /events/{id}/parts`` (the parts and their lecturers).

Datetimes without an offset are taken as Asia/Tokyo time.
"""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.utils import check_csrf
from pydantic import Field

from core.dates import aware
from core.inputs import (
    INT32_MAX,
    DateTime,
    FiscalYear,
    Id,
    IdList,
    InputSchema,
    Integer,
    Number,
    Text,
    column,
    existing,
)
from core.limits import limit_registration
from directory.auth import StaffTokenAuth, staff_auth
from directory.permissions import has_role
from training import services
from training.models import Course, Event, EventPart, EventPartLecturer, Lecturer, Registration
from training.permissions import (
    can_change_course,
    can_change_event,
    can_manage_registrations,
    can_see_registrations,
)
from training.reminders import sent_for_event

router = Router(tags=["training"])


def _acting_staff(request):
    """The staff user behind a request to a public endpoint (token, or session with a valid
    CSRF token), else None: the caller is treated as the public."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        try:
            return StaffTokenAuth().authenticate(request, header[7:].strip())
        except Http404:
            return None
    user = request.user
    if has_role(user) and check_csrf(request) is None:
        return user
    return None


# --- schemas -------------------------------------------------------------------------------


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


Capacity = Integer(-1, INT32_MAX)  # -1 reaches the service, which says why it is refused
CutoffHours = Number(0, 24 * 366)
Audiences = Annotated[list[Text(30)], Field(max_length=20)]


class EventIn(InputSchema):
    title: column(Event, "title")
    kind: Text(20, required=True)
    starts_at: DateTime
    ends_at: DateTime
    capacity: Capacity | None = None
    status: Text(20) = "draft"
    label: column(Event, "label") = ""
    course_id: Id | None = None
    description: column(Event, "description") = ""
    venue: column(Event, "venue") = ""
    join_url: column(Event, "join_url") = ""
    registration_opens_at: DateTime | None = None
    registration_closes_at: DateTime | None = None
    audiences: Audiences = []
    promotion_cutoff_hours: CutoffHours = 48
    block_id: Id | None = None
    co_host_district_id: Id | None = None


class EventPatch(InputSchema):
    title: column(Event, "title") | None = None
    kind: Text(20, required=True) | None = None
    starts_at: DateTime | None = None
    ends_at: DateTime | None = None
    capacity: Capacity | None = None
    label: column(Event, "label") | None = None
    description: column(Event, "description") | None = None
    venue: column(Event, "venue") | None = None
    join_url: column(Event, "join_url") | None = None
    registration_opens_at: DateTime | None = None
    registration_closes_at: DateTime | None = None
    audiences: Audiences | None = None
    promotion_cutoff_hours: CutoffHours | None = None


class RegistrationIn(InputSchema):
    name: column(Registration, "name")
    kana: column(Registration, "kana") = ""
    email: column(Registration, "email") = ""
    phone: column(Registration, "phone") = ""
    affiliation_type: column(Registration, "affiliation_type")
    organization: column(Registration, "organization") = ""
    municipality_id: Id | None = None
    job_title: column(Registration, "job_title") = ""
    language: column(Registration, "language") = "ja"
    source: column(Registration, "source") = "web"


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
    name: column(Lecturer, "name")
    kana: column(Lecturer, "kana") = ""
    affiliation: column(Lecturer, "affiliation") = ""
    title: column(Lecturer, "title") = ""


class LecturerOut(Schema):
    id: int
    name: str
    kana: str
    affiliation: str
    title: str


class SpeakerOut(Schema):
    lecturer_id: Id
    name: str
    affiliation: str
    title: str
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


class PartIn(InputSchema):
    kind: column(EventPart, "kind")
    title: column(EventPart, "title")
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


# --- public --------------------------------------------------------------------------------


@router.get("/events", response=list[EventOut], auth=None)
def list_events(request):
    """Published trainings that have not ended, soonest first."""
    return Event.objects.public().upcoming().with_counts().order_by("starts_at", "id")


@router.get("/events/{event_id}", response=EventOut, auth=None)
def get_event(request, event_id: Id):
    return get_object_or_404(Event.objects.public_or_cancelled().with_counts(), pk=event_id)


@router.post("/events/{event_id}/registrations", response={201: RegistrationAnswerOut}, auth=None)
def register(request, event_id: Id, payload: RegistrationIn):
    """Register for a published training. Staff (phone/fax) registrations are placed at once
    and answered with the registration. A web registration answers ``pending_confirmation``
    with ``id`` null and 「確認メールを送りました」, the same for an address already registered
    (that person is told by email); the emailed link confirms it. Limits per client address and
    per email address answer 429 with ``Retry-After``."""
    staff = _acting_staff(request)
    if staff is not None and can_manage_registrations(staff, None):
        events = Event.objects.visible_to(staff)
    else:
        staff = None
        events = Event.objects.public_or_cancelled()
    if staff is None:
        limit_registration(request, email=payload.email)
    event = get_object_or_404(events, pk=event_id)
    registration = services.register_trainee(event=event, by=staff, **payload.dict())
    if staff is not None:
        return Status(
            201,
            {
                "id": registration.pk,
                "status": registration.status,
                "position": registration.position,
                "event_id": registration.event_id,
            },
        )
    return Status(
        201,
        {
            "id": None,
            "status": Registration.Status.PENDING,
            "position": None,
            "event_id": event.pk,
            "detail": _("We have sent you a confirmation email."),
        },
    )


@router.post("/registrations/confirm", response=RegistrationOut, auth=None)
def confirm_registration(request, payload: TokenIn):
    return services.confirm_registration(token=payload.token)


@router.post("/registrations/me", response=RegistrationOut, auth=None)
def my_registration(request, payload: TokenIn):
    """The registration behind a management token: status and waitlist position."""
    registration = Registration.objects.for_token(payload.token).first()
    if registration is None:
        raise Http404
    return registration


@router.post("/registrations/{registration_id}/cancel", response=RegistrationOut, auth=None)
def cancel_registration(request, registration_id: Id, payload: RegistrationCancelIn | None = None):
    """Cancel: staff who manage the event's registrations, or the registrant with the token of
    their management link. Anyone else gets 404 (the registration's existence is private)."""
    token = payload.token if payload else None
    if token:
        registration = get_object_or_404(Registration.objects.for_token(token), pk=registration_id)
        by = None
    else:
        staff = _acting_staff(request)
        if staff is None:
            raise Http404
        registration = get_object_or_404(
            Registration.objects.visible_to(staff).select_related("event"), pk=registration_id
        )
        if not can_manage_registrations(staff, registration.event):
            raise PermissionDenied
        by = staff
    return services.cancel_registration(registration=registration, by=by)


# --- staff ---------------------------------------------------------------------------------


def _event_fields(payload: Schema, *, partial: bool) -> dict:
    data = payload.dict(exclude_unset=partial)
    data.pop("status", None)
    if "promotion_cutoff_hours" in data:
        hours = data.pop("promotion_cutoff_hours")
        if hours is not None:
            data["promotion_cutoff"] = dt.timedelta(hours=hours)
    for name in Event.TIME_FIELDS:
        if name in data:
            data[name] = aware(data[name])
    if "course_id" in data:
        course_id = data.pop("course_id")
        data["course"] = existing(
            Course.objects.all(),
            course_id,
            field="course_id",
            message=_("Choose a course from the list (no course has this id)."),
        )
    for name in ("block_id", "co_host_district_id"):
        if name in data:
            data[name.removesuffix("_id")] = _related(name, data.pop(name))
    return {k: v for k, v in data.items() if not (partial and v is None and k != "capacity")}


def _related(name, pk):
    from directory.models import Block, District

    if name == "block_id":
        message = _("Choose a block from the list (no block has this id).")
        return existing(Block.objects.all(), pk, field=name, message=message)
    message = _("Choose a district from the list (no district has this id).")
    return existing(District.objects.all(), pk, field=name, message=message)


def _staff_event(request, event_id: Id) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.auth).with_counts(), pk=event_id)


@router.post("/events", response={201: EventDetailStaffOut}, auth=staff_auth)
def create_event(request, payload: EventIn):
    """Create an event; ``status: published`` publishes it (registration then opens now and
    closes at the start unless set)."""
    if not can_change_event(request.auth):
        raise PermissionDenied
    if payload.status not in (Event.Status.DRAFT, Event.Status.PUBLISHED):
        raise ValidationError({"status": _("A new event is a draft or published.")})
    event = services.create_event(
        by=request.auth,
        publish=payload.status == Event.Status.PUBLISHED,
        **_event_fields(payload, partial=False),
    )
    return Status(201, _staff_event(request, event.pk))


@router.get("/all-events", response=list[EventStaffOut], auth=staff_auth)
def list_all_events(request, fiscal_year: FiscalYear | None = None):
    """Every event (drafts and cancelled too) the staff member may see, by fiscal year."""
    events = Event.objects.visible_to(request.auth).with_counts().order_by("starts_at", "id")
    if fiscal_year is not None:
        events = events.in_fiscal_year(fiscal_year)
    return events


@router.get("/events/{event_id}/manage", response=EventDetailStaffOut, auth=staff_auth)
def get_event_for_staff(request, event_id: Id):
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        event.join_url = ""
    return event


@router.patch("/events/{event_id}/manage", response=EventDetailStaffOut, auth=staff_auth)
def update_event(request, event_id: Id, payload: EventPatch):
    """Change an event; a new time or venue raises its sequence and tells the registrants."""
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        raise PermissionDenied
    services.update_event(event=event, by=request.auth, **_event_fields(payload, partial=True))
    return _staff_event(request, event_id)


@router.post("/events/{event_id}/publish", response=EventDetailStaffOut, auth=staff_auth)
def publish_event(request, event_id: Id):
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        raise PermissionDenied
    services.publish_event(event=event, by=request.auth)
    return _staff_event(request, event_id)


@router.post("/events/{event_id}/cancel", response=EventDetailStaffOut, auth=staff_auth)
def cancel_event(request, event_id: Id):
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        raise PermissionDenied
    services.cancel_event(event=event, by=request.auth)
    return _staff_event(request, event_id)


@router.get(
    "/events/{event_id}/registrations", response=list[RegistrationStaffOut], auth=staff_auth
)
def list_registrations(request, event_id: Id):
    """The registrations of an event, with status and waitlist position."""
    event = _staff_event(request, event_id)
    if not can_see_registrations(request.auth, event):
        raise PermissionDenied
    return event.registrations.with_position().order_by("created_at", "id")


@router.get("/events/{event_id}/emails", response=list[EmailOut], auth=staff_auth)
def list_emails(request, event_id: Id):
    """Every email sent (or due) for the event's registrants."""
    event = _staff_event(request, event_id)
    if not can_see_registrations(request.auth, event):
        raise PermissionDenied
    return sent_for_event(event, request.auth)


@router.post("/registrations/{registration_id}/promote", response=RegistrationOut, auth=staff_auth)
def promote_registration(request, registration_id: Id):
    registration = get_object_or_404(
        Registration.objects.visible_to(request.auth).select_related("event"),
        pk=registration_id,
    )
    if not can_manage_registrations(request.auth, registration.event):
        raise PermissionDenied
    return services.promote_registration(registration=registration, by=request.auth)


@router.get("/events/{event_id}/parts", response=list[PartOut], auth=None)
def list_parts(request, event_id: Id):
    """The parts of a public training with their lecturers (講師, 対談者)."""
    event = get_object_or_404(Event.objects.public_or_cancelled(), pk=event_id)
    return event.parts.prefetch_related(
        Prefetch("speakers", queryset=EventPartLecturer.objects.select_related("lecturer"))
    )


@router.post("/events/{event_id}/parts", response={201: PartOut}, auth=staff_auth)
def add_part(request, event_id: Id, payload: PartIn):
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        raise PermissionDenied
    return Status(201, services.add_event_part(event=event, by=request.auth, **payload.dict()))


@router.delete("/events/{event_id}/parts/{part_id}", response={204: None}, auth=staff_auth)
def remove_part(request, event_id: Id, part_id: Id):
    event = _staff_event(request, event_id)
    if not can_change_event(request.auth, event):
        raise PermissionDenied
    services.remove_event_part(part=get_object_or_404(event.parts, pk=part_id), by=request.auth)
    return Status(204, None)


@router.get("/lecturers", response=list[LecturerOut], auth=staff_auth)
def list_lecturers(request):
    return Lecturer.objects.all()


@router.post("/lecturers", response={201: LecturerOut}, auth=staff_auth)
def create_lecturer(request, payload: LecturerIn):
    if not can_change_course(request.auth):
        raise PermissionDenied
    return Status(201, services.save_lecturer(by=request.auth, **payload.dict()))


@router.get("/courses", response=list[CourseOut], auth=staff_auth)
def list_courses(request, fiscal_year: FiscalYear | None = None):
    courses = Course.objects.all()
    if fiscal_year is not None:
        courses = courses.filter(fiscal_year=fiscal_year)
    return courses


@router.post("/courses", response={201: CourseOut}, auth=staff_auth)
def create_course(request, payload: CourseIn):
    if not can_change_course(request.auth):
        raise PermissionDenied
    return Status(201, services.save_course(by=request.auth, **payload.dict()))
