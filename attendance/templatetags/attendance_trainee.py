"""A tag for training's management page (training cannot import attendance): the trainee's
certificate button, shown only once they have attended, so it never leads to a 404. It posts:
the certificate is issued (numbered) by that POST, never by a GET."""

from django import template
from django.template.loader import render_to_string

from attendance.models import RosterEntry
from training.models import Event

register = template.Library()


@register.simple_tag(takes_context=True)
def trainee_certificate_link(context, registration, token: str):
    if registration.event.status == Event.Status.CANCELLED:
        return ""
    attended = RosterEntry.objects.filter(registration=registration).attended().exists()
    if not attended:
        return ""
    return render_to_string(
        "attendance/_trainee_certificate_button.html", {"token": token}, request=context.request
    )
