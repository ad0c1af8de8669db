"""The center's signature at the end of every email (``core.center``)::

    {% load center %}{% center_signature %}

Plain text: the name, then the address and contacts the profile has. It asks
``core.center.current()`` itself, so it works whatever renders the email."""

from django import template
from django.utils.safestring import mark_safe

from core.center import Center, current
from core.vocabulary import fill

register = template.Library()

RULE = "―" * 20


def signature(center: Center) -> str:
    phones = "　".join(
        f"{label} {number}"
        for label, number in (("TEL", center.phone), ("FAX", center.fax))
        if number
    )
    lines = [RULE, center.name, center.address, phones, center.email]
    return "\n".join(line for line in lines if line)


@register.simple_tag
def center_signature() -> str:
    # Emails are plain text: nothing to escape.
    return mark_safe(signature(current()))


@register.filter
def vocab(text) -> str:
    """A translated text with the prefecture's words filled in (``core.vocabulary``):
    ``{% translate "By district" as label %}{{ label|vocab }}``."""
    return fill(text)
