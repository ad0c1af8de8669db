from django import template

from attendance.documents import when_label

register = template.Library()


@register.filter
def when(event) -> str:
    """令和3年6月10日（木） 13:30～16:00 of an event."""
    return when_label(event.starts_at, event.ends_at)
