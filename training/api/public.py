"""The public training endpoints: events, registering, confirming, cancelling."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Status
from ninja.pagination import paginate

from core.inputs import (
    Id,
)
from core.limits import limit_registration
from core.pagination import Pagination
from training import services
from training.api.common import acting_staff, router
from training.api.schemas import (
    EventOut,
    RegistrationAnswerOut,
    RegistrationCancelIn,
    RegistrationIn,
    RegistrationOut,
    TokenIn,
)
from training.models import Event, Registration
from training.permissions import (
    can_manage_registrations,
)


@router.get("/events", response=list[EventOut], auth=None)
@paginate(Pagination)
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
    staff = acting_staff(request)
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
    """Confirm a registration with the emailed link's token (404: a token that names none)."""
    if services.find_by_confirmation_token(payload.token) is None:
        raise Http404
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
        staff = acting_staff(request)
        if staff is None:
            raise Http404
        registration = get_object_or_404(
            Registration.objects.visible_to(staff).select_related("event"), pk=registration_id
        )
        if not can_manage_registrations(staff, registration.event):
            raise PermissionDenied
        by = staff
    return services.cancel_registration(registration=registration, by=by)
