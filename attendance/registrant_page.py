"""The trainee's certificate button on training's management page (registered in
training.registrant_page from AttendanceConfig.ready): shown only once they have attended, so
it never leads to a 404. It posts: the certificate is issued (numbered) by that POST, never by
a GET."""

from django.template.loader import render_to_string

from attendance.models import RosterEntry
from training.models import Event, Registration
from training.registrant_page import RegistrantSection, register_section


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
        RegistrantSection(code="attendance.certificate", order=20, render=certificate_button)
    )
