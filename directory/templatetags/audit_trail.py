"""``{% audit_trail obj queryset ... %}``: the 変更履歴 section of a staff page, for center staff
only (anyone else gets nothing: the history is never shown to other roles)."""

from django import template

from core import audit
from directory.permissions import is_center_staff

register = template.Library()


@register.inclusion_tag("core/audit_trail.html", takes_context=True)
def audit_trail(context, *parts, limit: int = 50):
    """The newest ``limit`` changes of the given objects (instances or querysets)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not is_center_staff(user):
        return {"visible": False}
    return {"visible": True, "lines": audit.lines(audit.trail(*parts), limit=limit)}
