"""The invented-data notice on pages that show a fiscal year (``core.demo``)::

    {% load demo %}{% invented_year_notice fiscal_year %}

Nothing is printed for a year with real data."""

from django import template

from core.demo import is_invented

register = template.Library()


@register.inclusion_tag("core/_invented_notice.html")
def invented_year_notice(fiscal_year) -> dict:
    try:
        year = int(fiscal_year)
    except (TypeError, ValueError):
        return {"invented": False}
    return {"invented": is_invented(year)}
