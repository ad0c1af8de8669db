"""The one date filter of the pages, and lang="ja" for Japanese runs in English pages (builtins:
no {% load %} needed).

    {{ event.starts_at|wareki }}            令和8年12月14日（月） 13:30
    {{ visit.starts_at|wareki:"short" }}    R8.12.14（月） 13:30
    {{ day|wareki:"date" }}                 令和8年12月14日（月）
    {{ event.starts_at|wareki_span:event.ends_at }}   令和8年12月14日（月） 13:30～15:30

In English pages: Mon 14 Dec 2026 13:30. Styles: core.fiscal.DATE_STYLES."""

import datetime as dt

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from core.fiscal import format_span, format_when

register = template.Library()


def _language() -> str:
    return "ja" if (translation.get_language() or "ja").startswith("ja") else "en"


@register.filter
def wareki(value, style: str = "long") -> str:
    if not isinstance(value, dt.date):
        return "" if value in (None, "") else str(value)
    return format_when(value, style or "long", _language())


@register.filter
def wareki_span(start, end=None) -> str:
    if not isinstance(start, dt.datetime):
        return wareki(start)
    return format_span(start, end if isinstance(end, dt.datetime) else None, _language())


@register.filter
def wareki_span_short(start, end=None) -> str:
    if not isinstance(start, dt.datetime):
        return wareki(start, "short")
    return format_span(
        start, end if isinstance(end, dt.datetime) else None, _language(), short=True
    )


@register.simple_tag
def lang_ja() -> str:
    """` lang="ja"` on a run of Japanese (a name, a place) inside an English page:
    <span class="name"{% lang_ja %}>{{ user }}</span>."""
    return "" if _language() == "ja" else mark_safe(' lang="ja"')
