"""What other apps add to the staff page of an event (``/training/staff/events/<id>/``),
registered from their ``AppConfig.ready()`` as the registrant page's sections are
(training.registrant_page): training knows none of them.

``render(request, event)`` returns the section's HTML or "" to leave it out; each section
decides itself who may see it (the questionnaire's results: center staff only).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from training.models import Event


@dataclass(frozen=True)
class StaffEventSection:
    code: str
    order: int
    render: Callable[[HttpRequest, Event], str]


_SECTIONS: dict[str, StaffEventSection] = {}


def register_section(section: StaffEventSection) -> StaffEventSection:
    _SECTIONS[section.code] = section
    return section


def render_sections(request: HttpRequest, event: Event) -> list[SafeString]:
    """The HTML of every section that has something to show, in order."""
    ordered = sorted(_SECTIONS.values(), key=lambda section: (section.order, section.code))
    parts = (section.render(request, event) for section in ordered)
    return [mark_safe(part) for part in parts if part]
