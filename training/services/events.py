"""Use cases that change courses, events, lecturers and an event's parts. A change of an
event's time or place, its cancellation or a larger capacity reaches its registrants through
``training.services.registrations``."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, vocabulary
from core.errors import Conflict
from core.join_links import join_link_in
from core.usecases import audited_as, load_visible, may
from training import reminders
from training.models import (
    Course,
    Event,
    EventPart,
    EventPartLecturer,
    Lecturer,
    Registration,
)
from training.permissions import can_change_course
from training.services.common import lock_event
from training.services.registrations import fill_free_seats

EVENT_TIME_PLACE_FIELDS = ("starts_at", "ends_at", "venue")
EVENT_EDITABLE_FIELDS = Event.EDITABLE_FIELDS
# What the audit trail compares before and after a change (never a token or its hash).
EVENT_AUDIT_FIELDS = (*EVENT_EDITABLE_FIELDS, "staff", "status", "sequence")

audit.register_actions(
    {
        "training.event.created": gettext_lazy("Created the event"),
        "training.event.changed": gettext_lazy("Changed the event"),
        "training.event.published": gettext_lazy("Published the event"),
        "training.event.cancelled": gettext_lazy("Cancelled the event"),
        "training.event.part_added": gettext_lazy("Added a part"),
        "training.event.part_removed": gettext_lazy("Removed a part"),
        "training.course.created": gettext_lazy("Created the course"),
        "training.course.changed": gettext_lazy("Changed the course"),
        "training.lecturer.created": gettext_lazy("Added the lecturer"),
        "training.lecturer.changed": gettext_lazy("Changed the lecturer"),
    }
)


# An online event's join link belongs in ``join_url`` (private). A web address, a meeting
# service's host or a meeting ID and passcode in a field the public reads (the page, the API,
# emails, the .ics LOCATION) would publish it (core.join_links).
PUBLIC_TEXT_FIELDS = ("title", "venue", "description")


def _validate_event(event: Event, *, confirmed: int = 0) -> None:
    errors = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if event.capacity is not None and event.capacity < 0:
        errors["capacity"] = _("The capacity cannot be negative.")
    elif event.capacity is not None and event.capacity < confirmed:
        errors["capacity"] = _(
            "The capacity cannot be below the %(count)d confirmed registrations."
        ) % {"count": confirmed}
    if event.kind not in Event.Kind.values:
        errors["kind"] = _("Unknown kind of event.")
    unknown = [value for value in event.audiences if not vocabulary.is_affiliation_kind(value)]
    if unknown:
        errors["audiences"] = _("Unknown audience: %(value)s") % {"value": ", ".join(unknown)}
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if event.join_url:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["https", "http"])(event.join_url)
        except ValidationError:
            errors["join_url"] = _("Enter a valid web address (https://…).")
    if event.is_online:
        for field in PUBLIC_TEXT_FIELDS:
            if join_link_in(getattr(event, field) or ""):
                errors[field] = _(
                    "“%(field)s” is public: do not put a web address, a meeting ID or a "
                    "passcode here. Enter the meeting's link in the “online meeting link” "
                    "field, which only confirmed registrants see."
                ) % {"field": Event._meta.get_field(field).verbose_name}
    if event.promotion_cutoff is not None and event.promotion_cutoff < dt.timedelta(0):
        errors["promotion_cutoff"] = _("The cut-off cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_course(
    *,
    actor,
    course_id: int | None = None,
    fiscal_year: int,
    title: str,
    description: str = "",
) -> Course:
    """Create (no ``course_id``) or change a course."""
    may(actor, can_change_course)
    course = load_visible(Course.objects.all(), course_id) if course_id is not None else None
    by = audited_as(actor)
    fields = ("fiscal_year", "title", "description")
    action = "training.course.changed" if course else "training.course.created"
    before = audit.snapshot(course, fields) if course else {}
    course = course or Course()
    course.fiscal_year, course.title, course.description = fiscal_year, title, description
    if Course.objects.filter(fiscal_year=fiscal_year, title=title).exclude(pk=course.pk).exists():
        raise ValidationError({"title": _("This course already exists in that fiscal year.")})
    course.save()
    audit.record(course, action, by=by, changes=audit.diff(before, audit.snapshot(course, fields)))
    return course


@transaction.atomic
def create_event(*, by=None, publish: bool = False, staff=(), **fields) -> Event:
    """Create an event from ``EVENT_EDITABLE_FIELDS``; ``publish`` publishes it at once."""
    unknown = set(fields) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(**fields)
    _validate_event(event)
    event.save()
    if staff:
        event.staff.set(staff)
    if publish:
        _publish(event, now=timezone.now())
    audit.record(
        event,
        "training.event.created",
        by=by,
        changes=audit.diff({}, audit.snapshot(event, EVENT_AUDIT_FIELDS)),
    )
    return event


@transaction.atomic
def update_event(
    *, event: Event, by=None, now: dt.datetime | None = None, staff=None, **changes
) -> Event:
    """Change an event (``staff``: the staff members assigned, when given). A change of time or
    venue raises ``sequence`` and, for a published event, sends every registrant an update with
    the new calendar entry. A larger capacity promotes waitlisted people (before the cut-off)."""
    now = now or timezone.now()
    unknown = set(changes) - set(EVENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    locked = lock_event(event.pk)
    if locked.is_cancelled:
        raise ValidationError({"status": _("A cancelled event cannot be changed.")})
    if _changes_nothing(locked, changes, staff):
        return locked  # no write: updated_at, the feeds' SEQUENCE and the audit trail stay
    before = {name: getattr(locked, name) for name in EVENT_TIME_PLACE_FIELDS}
    audited = audit.snapshot(locked, EVENT_AUDIT_FIELDS)
    for name, value in changes.items():
        setattr(locked, name, value)
    _validate_event(locked, confirmed=locked.registrations.confirmed().count())
    moved = any(getattr(locked, name) != value for name, value in before.items())
    if moved:
        locked.sequence += 1
    locked.save()
    if staff is not None:
        locked.staff.set(staff)
    changes = audit.diff(audited, audit.snapshot(locked, EVENT_AUDIT_FIELDS))
    if changes:
        audit.record(locked, "training.event.changed", by=by, changes=changes)
    promoted = fill_free_seats(locked, now=now)
    if moved:
        reminders.plan_event(locked, now=now)
    if moved and locked.status == Event.Status.PUBLISHED:
        for registration in locked.registrations.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        ).exclude(pk__in=[r.pk for r in promoted]):
            reminders.notify(reminders.EVENT_UPDATED, registration, at=now)
    return locked


def _changes_nothing(event: Event, changes: dict, staff) -> bool:
    """Whether every value given is the event's already (and the staff are the same)."""
    if any(getattr(event, name) != value for name, value in changes.items()):
        return False
    if staff is None:
        return True
    chosen = {getattr(member, "pk", member) for member in staff}
    return chosen == set(event.staff.values_list("pk", flat=True))


def _publish(event: Event, *, now: dt.datetime) -> None:
    event.status = Event.Status.PUBLISHED
    event.published_at = now
    if event.registration_opens_at is None:
        event.registration_opens_at = now
    event.save(update_fields=["status", "published_at", "registration_opens_at", "updated_at"])


@transaction.atomic
def publish_event(*, event: Event, by=None, now: dt.datetime | None = None) -> Event:
    """Publish a draft: it appears on the public list, and registration opens (from now, unless
    a later opening was set) until the start (unless an earlier close was set)."""
    locked = lock_event(event.pk)
    if locked.status != Event.Status.DRAFT:
        raise Conflict(_("Only a draft can be published."), code="not_draft")
    before = audit.snapshot(locked, ("status", "registration_opens_at"))
    _publish(locked, now=now or timezone.now())
    after = audit.snapshot(locked, ("status", "registration_opens_at"))
    audit.record(locked, "training.event.published", by=by, changes=audit.diff(before, after))
    return locked


@transaction.atomic
def cancel_event(*, event: Event, by=None, now: dt.datetime | None = None) -> Event:
    """Cancel an event: it leaves the public list, ``sequence`` rises, and every confirmed or
    waitlisted registrant is told, with a calendar cancellation (METHOD:CANCEL)."""
    now = now or timezone.now()
    locked = lock_event(event.pk)
    if locked.is_cancelled:
        raise Conflict(_("The event is already cancelled."), code="already_cancelled")
    was_published = locked.status == Event.Status.PUBLISHED
    before = audit.snapshot(locked, ("status", "sequence"))
    locked.status = Event.Status.CANCELLED
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    after = audit.snapshot(locked, ("status", "sequence"))
    audit.record(locked, "training.event.cancelled", by=by, changes=audit.diff(before, after))
    reminders.plan_event(locked, now=now)
    if was_published:
        for registration in locked.registrations.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        ):
            reminders.notify(reminders.EVENT_CANCELLED, registration, at=now)
    return locked


# --- lecturers and parts --------------------------------------------------------------------


@transaction.atomic
def save_lecturer(
    *,
    actor,
    lecturer_id: int | None = None,
    name: str,
    kana: str = "",
    affiliation: str = "",
    title: str = "",
    honorific: str = "",
    print_style: str = Lecturer.PrintStyle.AFFILIATION,
) -> Lecturer:
    """Create (no ``lecturer_id``) or change a lecturer (講師: 所属・職名・氏名・敬称, and how
    a report prints them)."""
    may(actor, can_change_course)
    lecturer = (
        load_visible(Lecturer.objects.all(), lecturer_id) if lecturer_id is not None else None
    )
    by = audited_as(actor)
    if not name.strip():
        raise ValidationError({"name": _("Please enter the name.")})
    if print_style not in Lecturer.PrintStyle.values:
        raise ValidationError({"print_style": _("Unknown print style.")})
    fields = ("name", "kana", "affiliation", "title", "honorific", "print_style")
    action = "training.lecturer.changed" if lecturer else "training.lecturer.created"
    before = audit.snapshot(lecturer, fields) if lecturer else {}
    lecturer = lecturer or Lecturer()
    lecturer.name, lecturer.kana = name.strip(), kana.strip()
    lecturer.affiliation, lecturer.title = affiliation.strip(), title.strip()
    lecturer.honorific, lecturer.print_style = honorific.strip(), print_style
    lecturer.save()
    after = audit.snapshot(lecturer, fields)
    audit.record(lecturer, action, by=by, changes=audit.diff(before, after))
    return lecturer


@transaction.atomic
def add_event_part(
    *, event: Event, kind: str, title: str, lecturer_ids: list[int], by=None
) -> EventPart:
    """Add a part at the end of the session (イ: a lecture, then a dialogue). Its lecturers get
    the role of the part: 講師 for a lecture, 対談者 for a dialogue."""
    errors = {}
    if kind not in EventPart.Kind.values:
        errors["kind"] = _("Unknown kind of part.")
    if not title.strip():
        errors["title"] = _("Please enter the title.")
    lecturers = list(Lecturer.objects.filter(pk__in=lecturer_ids))
    if len(lecturers) != len(set(lecturer_ids)):
        errors["lecturer_ids"] = _("Unknown lecturer.")
    if event.is_cancelled:
        errors["event"] = _("A cancelled event cannot be changed.")
    if errors:
        raise ValidationError(errors)
    order = (event.parts.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    part = EventPart.objects.create(event=event, kind=kind, title=title.strip(), order=order)
    role = (
        EventPartLecturer.Role.DIALOGIST
        if kind == EventPart.Kind.DIALOGUE
        else EventPartLecturer.Role.LECTURER
    )
    by_id = {lecturer.pk: lecturer for lecturer in lecturers}
    EventPartLecturer.objects.bulk_create(
        EventPartLecturer(part=part, lecturer=by_id[pk], role=role, order=position)
        for position, pk in enumerate(dict.fromkeys(lecturer_ids), start=1)
    )
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    audit.record(
        event,
        "training.event.part_added",
        by=by,
        detail=f"{part.get_kind_display()}「{part.title}」",
    )
    return part


@transaction.atomic
def remove_event_part(*, part: EventPart, by=None) -> None:
    event = part.event
    description = f"{part.get_kind_display()}「{part.title}」"
    part.delete()
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
    audit.record(event, "training.event.part_removed", by=by, detail=description)
