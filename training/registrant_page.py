"""What other apps add to the registrant's management page (``/training/manage/<token>/``),
registered from their ``AppConfig.ready()`` as the digest's sections are (notifications.digest):
training knows none of them and includes none of their templates.

    register_section(RegistrantSection(code="feeds.calendar", order=10, render=calendar_link))

``render(request, registration, token)`` returns the section's HTML (rendered from the app's own
template) or "" to leave it out. What it shows is for the registrant only: their own
registration, reached by their secret management link.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from training.models import Registration


@dataclass(frozen=True)
class RegistrantSection:
    code: str
    order: int
    render: Callable[[HttpRequest, Registration, str], str]


_SECTIONS: dict[str, RegistrantSection] = {}


def register_section(section: RegistrantSection) -> RegistrantSection:
    _SECTIONS[section.code] = section
    return section


def sections() -> list[RegistrantSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.code))


def render_sections(
    request: HttpRequest, registration: Registration, token: str
) -> list[SafeString]:
    """The HTML of every section that has something to show, in order."""
    parts = (section.render(request, registration, token) for section in sections())
    return [mark_safe(part) for part in parts if part]
