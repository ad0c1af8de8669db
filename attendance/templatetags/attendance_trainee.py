"""A tag for training's management page (training cannot import attendance): the trainee's
certificate link, shown only once they have attended, so the link never leads to a 404."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from attendance.models import RosterEntry
from training.models import Event

register = template.Library()


@register.simple_tag
def trainee_certificate_link(registration, token: str):
    if registration.event.status == Event.Status.CANCELLED:
        return ""
    attended = RosterEntry.objects.filter(registration=registration).attended().exists()
    if not attended:
        return ""
    return format_html(
        '<p><a id="certificate" class="button secondary" href="{}">{}</a></p>',
        reverse("attendance:trainee_certificate", args=[token]),
        _("Certificate of attendance (PDF)"),
    )
