"""Public pages of training (no account): the list of published trainings, an event with its
registration form, the confirmation link and the registrant's management page. Staff pages are
in ``training.staff_views``."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import Conflict, RateLimited
from core.forms import add_service_errors, error_text
from core.limits import limit_registration, retry_after_minutes
from core.pages import answer_status
from training import services
from training.calendar import event_ics
from training.forms import RegistrationForm
from training.models import Event, EventPart, EventPartLecturer, Registration
from training.registrant_page import render_sections


def event_parts():
    return Prefetch(
        "parts",
        queryset=EventPart.objects.prefetch_related(
            Prefetch("speakers", queryset=EventPartLecturer.objects.select_related("lecturer"))
        ),
    )


def event_list(request):
    """Published trainings that have not ended, soonest first, with free seats."""
    events = (
        Event.objects.public()
        .upcoming()
        .with_counts()
        .select_related("course")
        .order_by("starts_at", "id")
    )
    return render(request, "training/event_list.html", {"events": events})


def event_detail(request, pk):
    """A published training and its registration form (POST registers)."""
    event = get_object_or_404(
        Event.objects.public_or_cancelled()
        .with_counts()
        .select_related("course")
        .prefetch_related(event_parts()),
        pk=pk,
    )
    form = RegistrationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    context = {"event": event, "form": form, "is_open": event.registration_is_open()}
    try:
        if request.method == "POST":
            limit_registration(request, email=request.POST.get("email", ""))
        if request.method == "POST" and form.is_valid():
            try:
                services.register_trainee(event=event, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # The same answer whether the address was new or already registered.
                return redirect("training:registered", pk=event.pk)
    except RateLimited as error:
        minutes = retry_after_minutes(error)
        form.is_valid()
        form.add_error(
            None,
            ngettext(
                "Too many registrations were sent. Please try again in %(minutes)d minute.",
                "Too many registrations were sent. Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = render(request, "training/event_detail.html", context, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    return render(
        request,
        "training/event_detail.html",
        context,
        status=answer_status(request),
    )


def registered(request, pk):
    """After a web registration: check your email."""
    event = get_object_or_404(Event.objects.public(), pk=pk)
    return render(request, "training/registered.html", {"event": event})


@never_cache
def confirm(request, token):
    """The emailed confirmation link: a button (POST) confirms, so link scanners do not."""
    registration = services.find_by_confirmation_token(token)
    if request.method == "POST":
        try:
            registration = services.confirm_registration(token=token)
        except ValidationError as error:
            return render(
                request,
                "training/confirm.html",
                {"errors": [m for ms in error.message_dict.values() for m in ms]},
                status=422,
            )
        return redirect("training:manage", token=registration.management_token)
    errors = []
    if registration is None or registration.status != Registration.Status.PENDING:
        errors = [_("This confirmation link is invalid or has already been used.")]
    return render(
        request,
        "training/confirm.html",
        {"registration": registration, "errors": errors},
        status=404 if errors else 200,
    )


def _by_token(token) -> Registration:
    registration = (
        Registration.objects.for_token(token).select_related("event", "event__course").first()
    )
    if registration is None:
        raise Http404
    return registration


@never_cache
def manage(request, token):
    """The registrant's page: status, waitlist position, cancel, calendar file, join."""
    registration = _by_token(token)
    return render(
        request,
        "training/manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "can_join": registration.can_join(),
            "sections": render_sections(request, registration, token),
        },
    )


@require_POST
def manage_cancel(request, token):
    registration = _by_token(token)
    try:
        services.cancel_registration(registration=registration)
    except (ValidationError, Conflict) as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, _("Your registration has been cancelled."))
    return redirect("training:manage", token=token)


def manage_ics(request, token):
    registration = _by_token(token)
    if registration.status == Registration.Status.PENDING:
        # Nothing to put in a calendar before the address is confirmed.
        raise Http404
    cancel = registration.status == Registration.Status.CANCELLED
    response = HttpResponse(
        event_ics(registration.event, registration, cancel=cancel),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{registration.event_id}.ics"'
    return response


@never_cache
def manage_join(request, token):
    """Redirect a confirmed registrant to the online meeting, only from 30 minutes before the
    start to the end (the link itself is never shown, so staff can change it late)."""
    registration = _by_token(token)
    if not registration.can_join():
        flash.error(
            request, _("The online meeting can be joined from 30 minutes before the start.")
        )
        return redirect("training:manage", token=token)
    return redirect(registration.event.join_url)
