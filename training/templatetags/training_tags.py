"""Template filters for trainings: an event's time span in the reader's language."""

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def event_when(event) -> str:
    """2021年6月10日（木）13:30–15:30 in Japanese, Thu 10 Jun 2021 13:30–15:30 in English."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    japanese = translation.get_language() == "ja"
    day = "Y年n月j日（D）" if japanese else "D j M Y"
    text = f"{date_format(start, day)} {date_format(start, 'H:i')}–"
    if end.date() != start.date():
        text += date_format(end, day) + " "
    return text + date_format(end, "H:i")
