"""Staff pages of training: courses and events (create, edit, publish, cancel), the
registrations of an event (status, waitlist position, phone/fax entry, promote, cancel on
someone's behalf, CSV export) and the emails sent for it."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.dates import requested_fiscal_year
from core.errors import Conflict
from core.fiscal import fiscal_year_label
from core.forms import add_service_errors, error_text
from core.pages import answer_status, form_page, submit
from core.usecases import allow, load_visible
from core.vocabulary import affiliation_label
from directory.decorators import staff_required
from notifications.topics import topic_for
from training import services
from training.forms import (
    CourseForm,
    EventForm,
    EventPartForm,
    LecturerForm,
    StaffRegistrationForm,
)
from training.models import Course, Event, EventPart, Lecturer, Registration
from training.permissions import (
    can_change_course,
    can_change_event,
    can_manage_registrations,
    can_see_registrations,
)
from training.reminders import sent_for_event
from training.staff_event_page import render_sections
from training.views import event_parts

STATUS_ORDER = {
    Registration.Status.CONFIRMED: 0,
    Registration.Status.WAITLISTED: 1,
    Registration.Status.PENDING: 2,
    Registration.Status.CANCELLED: 3,
}


@staff_required
def event_list(request):
    """The events of a fiscal year (default: the current one), with seat counts."""
    fiscal_year = requested_fiscal_year(request)
    events = (
        Event.objects.visible_to(request.user)
        .in_fiscal_year(fiscal_year)
        .with_counts()
        .select_related("course", "block")
        .order_by("starts_at", "id")
    )
    return render(
        request,
        "training/staff/event_list.html",
        {
            "events": events,
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "previous_year": fiscal_year - 1,
            "next_year": fiscal_year + 1,
            "can_change": can_change_event(request.user),
        },
    )


@staff_required
def course_list(request):
    if not can_change_course(request.user):
        raise PermissionDenied
    return render(request, "training/staff/course_list.html", {"courses": Course.objects.all()})


@staff_required
def course_edit(request, pk=None):
    return _catalogue_edit(
        request,
        form=CourseForm(request.POST or None, instance=_catalogue_row(request, Course, pk)),
        save=lambda data: services.save_course(actor=request.user, course_id=pk, **data),
        saved=_("The course has been saved."),
        title=_("Course"),
        back="training:staff_courses",
    )


def _catalogue_row(request, model, pk):
    """The course or lecturer to change (None for a new one), for those who keep them."""
    allow(request.user, can_change_course(request.user))
    return load_visible(model.objects.all(), pk) if pk else None


def _catalogue_edit(request, *, form, save, saved, title, back):
    """A course or lecturer form: one service call, its message, back to the list."""
    outcome = submit(request, form, save)
    if outcome.done:
        flash.success(request, saved)
        return redirect(back)
    return form_page(
        request, "training/staff/form.html", {"form": form, "title": title, "back": back}
    )


@staff_required
def event_detail(request, pk):
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .with_counts()
        .select_related("course", "block", "co_host_district")
        .prefetch_related(event_parts()),
        pk=pk,
    )
    registrations = None
    if can_see_registrations(request.user, event):
        rows = event.registrations.with_position().select_related("municipality")
        registrations = sorted(
            rows, key=lambda r: (STATUS_ORDER[r.status], r.position or 0, r.created_at, r.id)
        )
    return render(
        request,
        "training/staff/event_detail.html",
        {
            "event": event,
            "registrations": registrations,
            "can_change": can_change_event(request.user, event),
            "can_manage": can_manage_registrations(request.user, event),
            "sent_messages": sent_for_event(event, request.user)
            if registrations is not None
            else None,
            "outbox_topic": topic_for(event),
            "now": timezone.now(),
            "sections": render_sections(request, event),
        },
    )


@staff_required
def event_edit(request, pk=None):
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk) if pk else None
    if not can_change_event(request.user, event):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                event = services.create_event(by=request.user, **form.event_fields())
            else:
                services.update_event(event=event, by=request.user, **form.event_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The event has been saved."))
            return redirect("training:staff_event", pk=event.pk)
    return render(
        request,
        "training/staff/form.html",
        {"form": form, "title": _("Event"), "back": "training:staff_events"},
        status=answer_status(request),
    )


def _event_for_change(request, pk) -> Event:
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    if not can_change_event(request.user, event):
        raise PermissionDenied
    return event


@require_POST
@staff_required
def event_publish(request, pk):
    event = _event_for_change(request, pk)
    try:
        services.publish_event(event=event, by=request.user)
    except Conflict as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("The event has been published."))
    return redirect("training:staff_event", pk=pk)


@require_POST
@staff_required
def event_cancel(request, pk):
    event = _event_for_change(request, pk)
    try:
        services.cancel_event(event=event, by=request.user)
    except Conflict as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("The event has been cancelled and its registrants told."))
    return redirect("training:staff_event", pk=pk)


@staff_required
def registration_new(request, pk):
    """A registration taken by phone or fax."""
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    if not can_manage_registrations(request.user, event):
        raise PermissionDenied
    form = StaffRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_trainee(
                event=event, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(
                request,
                _("%(name)s: %(status)s")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
            return redirect("training:staff_event", pk=pk)
    return render(
        request,
        "training/staff/form.html",
        {"form": form, "title": _("Registration by phone or fax"), "event": event},
        status=answer_status(request),
    )


def _registration_for_staff(request, pk) -> Registration:
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("event"), pk=pk
    )
    if not can_manage_registrations(request.user, registration.event):
        raise PermissionDenied
    return registration


@require_POST
@staff_required
def registration_promote(request, pk):
    registration = _registration_for_staff(request, pk)
    try:
        services.promote_registration(registration=registration, by=request.user)
    except (Conflict, ValidationError) as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("%(name)s now has a seat.") % {"name": registration.name})
    return redirect("training:staff_event", pk=registration.event_id)


@require_POST
@staff_required
def registration_cancel(request, pk):
    registration = _registration_for_staff(request, pk)
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except (Conflict, ValidationError) as error:
        flash.error(request, error_text(error))
    else:
        flash.success(
            request,
            _("The registration of %(name)s has been cancelled.") % {"name": registration.name},
        )
    return redirect("training:staff_event", pk=registration.event_id)


@staff_required
def registrations_csv(request, pk):
    """The registrations as CSV in UTF-8 with a BOM, so that Excel opens the Japanese intact.
    The join link and the tokens are never in it."""
    event = get_object_or_404(Event.objects.visible_to(request.user), pk=pk)
    if not can_manage_registrations(request.user, event):
        raise PermissionDenied
    rows = sorted(
        event.registrations.with_position().select_related("municipality"),
        key=lambda r: (STATUS_ORDER[r.status], r.position or 0, r.created_at, r.id),
    )
    headings = [
        _("Status"),
        _("Waitlist position"),
        _("Name"),
        _("Name in kana"),
        _("Email"),
        _("Phone"),
        _("Affiliation type"),
        _("Organization"),
        _("Municipality"),
        _("Job title"),
        _("Received by"),
        _("Registered at"),
    ]
    table = [
        [
            str(r.get_status_display()),
            r.position or "",
            r.name,
            r.kana,
            r.email,
            r.phone,
            affiliation_label(r.affiliation_type),
            r.organization,
            r.municipality.name if r.municipality else "",
            r.job_title,
            str(r.get_source_display()),
            r.created_at,
        ]
        for r in rows
    ]
    return exports.csv_response(headings, table, filename=f"event-{event.pk}-registrations.csv")


@staff_required
def lecturer_list(request):
    if not can_change_course(request.user):
        raise PermissionDenied
    return render(
        request, "training/staff/lecturer_list.html", {"lecturers": Lecturer.objects.all()}
    )


@staff_required
def lecturer_edit(request, pk=None):
    return _catalogue_edit(
        request,
        form=LecturerForm(request.POST or None, instance=_catalogue_row(request, Lecturer, pk)),
        save=lambda data: services.save_lecturer(actor=request.user, lecturer_id=pk, **data),
        saved=_("The lecturer has been saved."),
        title=_("Lecturer"),
        back="training:staff_lecturers",
    )


@staff_required
def event_part_new(request, pk):
    """Add a part (lecture or dialogue) with its lecturers."""
    event = _event_for_change(request, pk)
    form = EventPartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_event_part(event=event, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            flash.success(request, _("The part has been added."))
            return redirect("training:staff_event", pk=pk)
    return render(
        request,
        "training/staff/form.html",
        {"form": form, "title": _("Add a part"), "event": event},
        status=answer_status(request),
    )


@require_POST
@staff_required
def event_part_remove(request, pk, part_pk):
    event = _event_for_change(request, pk)
    part = get_object_or_404(EventPart, pk=part_pk, event=event)
    services.remove_event_part(part=part, by=request.user)
    flash.success(request, _("The part has been removed."))
    return redirect("training:staff_event", pk=pk)
