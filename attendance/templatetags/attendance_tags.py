from django import template
from django.utils import translation

from core.fiscal import format_span

register = template.Library()


@register.filter
def when(event) -> str:
    """令和3年6月10日（木） 13:30～16:00 of an event."""
    language = "ja" if (translation.get_language() or "ja").startswith("ja") else "en"
    return format_span(event.starts_at, event.ends_at, language)
