"""What attendance adds to training's management page (registered in training.registrant_page
from AttendanceConfig.ready):

- the check-in QR code with its text and the printable 受講票 (PDF), for a confirmed
  registration of an event that is neither cancelled nor over;
- the certificate button, shown only once they have attended, so it never leads to a 404. It
  posts: the certificate is issued (numbered) by that POST, never by a GET."""

from django.template.loader import render_to_string
from django.utils import timezone

from attendance.models import RosterEntry
from core.qr import qr_svg_data_uri
from training.models import Event, Registration
from training.registrant_page import RegistrantSection, register_section


def checkin_code_shown(registration: Registration) -> bool:
    """Whether the person has a code to show at the door: a confirmed seat at an event that is
    neither cancelled nor over."""
    event = registration.event
    return (
        registration.status == Registration.Status.CONFIRMED
        and event.status != Event.Status.CANCELLED
        and timezone.now() < event.ends_at
    )


def checkin_code(request, registration: Registration, token: str) -> str:
    if not checkin_code_shown(registration):
        return ""
    code = registration.checkin_code
    return render_to_string(
        "attendance/_checkin_code.html",
        {"code": code, "image": qr_svg_data_uri(code), "token": token},
        request=request,
    )


def certificate_button(request, registration: Registration, token: str) -> str:
    if registration.event.status == Event.Status.CANCELLED:
        return ""
    if not RosterEntry.objects.filter(registration=registration).attended().exists():
        return ""
    return render_to_string(
        "attendance/_trainee_certificate_button.html", {"token": token}, request=request
    )


def register() -> None:
    register_section(
        RegistrantSection(code="attendance.checkin_code", order=5, render=checkin_code)
    )
    register_section(
        RegistrantSection(code="attendance.certificate", order=20, render=certificate_button)
    )
