"""The calendar of all of a person's registrations, offered on training's management page
(registered in training.registrant_page from FeedsConfig.ready)."""

from django.template.loader import render_to_string

from training.models import Registration
from training.registrant_page import RegistrantSection, register_section


def calendar_link(request, registration: Registration, token: str) -> str:
    if not registration.email or registration.status == Registration.Status.PENDING:
        return ""
    return render_to_string("feeds/_registrant_link.html", {"token": token}, request=request)


def register() -> None:
    register_section(RegistrantSection(code="feeds.calendar", order=10, render=calendar_link))
