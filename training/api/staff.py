"""The staff training endpoints: events, registrations, emails, parts, lecturers, courses."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from core.dates import aware
from core.inputs import (
    Id,
    existing,
)
from core.pagination import Pagination
from directory.auth import staff_auth
from training import services
from training.api.common import router
from training.api.schemas import (
    CourseFilter,
    CourseIn,
    CourseOut,
    EmailOut,
    EventDetailStaffOut,
    EventFilter,
    EventIn,
    EventPatch,
    EventStaffOut,
    LecturerIn,
    LecturerOut,
    PartIn,
    PartOut,
    RegistrationOut,
    RegistrationStaffOut,
)
from training.models import Course, Event, EventPartLecturer, Lecturer, Registration
from training.permissions import (
    can_change_event,
    can_manage_registrations,
    can_see_registrations,
)
from training.reminders import sent_for_event


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
@paginate(Pagination)
def list_all_events(request, filters: Query[EventFilter]):
    """Every event (drafts and cancelled too) the staff member may see, soonest first;
    ``fiscal_year`` and ``status`` narrow it."""
    events = Event.objects.visible_to(request.auth).with_counts().order_by("starts_at", "id")
    return filters.filter(events)


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
@paginate(Pagination)
def list_registrations(request, event_id: Id):
    """The registrations of an event, with status and waitlist position."""
    event = _staff_event(request, event_id)
    if not can_see_registrations(request.auth, event):
        raise PermissionDenied
    return event.registrations.with_position().order_by("created_at", "id")


@router.get("/events/{event_id}/emails", response=list[EmailOut], auth=staff_auth)
@paginate(Pagination)
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
@paginate(Pagination)
def list_lecturers(request):
    return Lecturer.objects.order_by("kana", "name", "id")


@router.post("/lecturers", response={201: LecturerOut}, auth=staff_auth)
def create_lecturer(request, payload: LecturerIn):
    return Status(201, services.save_lecturer(actor=request.auth, **payload.dict()))


@router.get("/courses", response=list[CourseOut], auth=staff_auth)
@paginate(Pagination)
def list_courses(request, filters: Query[CourseFilter]):
    return filters.filter(Course.objects.order_by("-fiscal_year", "title", "id"))


@router.post("/courses", response={201: CourseOut}, auth=staff_auth)
def create_course(request, payload: CourseIn):
    return Status(201, services.save_course(actor=request.auth, **payload.dict()))
