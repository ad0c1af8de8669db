"""Rendering an email from templates: ``<name>_subject.txt`` (one line) and ``<name>.txt``.
Every email gets ``center`` in its context for the signature.

Emails are plain text: the templates render on the "mail" engine (config.settings), which does
not escape HTML, so 「Q&A <研修>」 arrives as written. Every email Sasaeru sends is automated: it
carries ``Auto-Submitted: auto-generated`` (RFC 3834, so out-of-office replies stay away) and a
Message-ID in the site's own domain."""

import re
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from core.center import current

MAIL = "mail"  # the template engine of emails: no HTML autoescaping


def mail_domain() -> str:
    """The site's domain (from SITE_URL), the right-hand side of every Message-ID."""
    return urlsplit(settings.SITE_URL).hostname or sender_address().rpartition("@")[2]


def automated_headers() -> dict[str, str]:
    """The headers of an automated email: its own Message-ID and ``Auto-Submitted``."""
    return {"Message-ID": make_msgid(domain=mail_domain()), "Auto-Submitted": "auto-generated"}


def render_email(template: str, context: dict) -> tuple[str, str]:
    """The subject (collapsed to one line) and body of ``template`` (e.g.
    ``"training/email/confirmed"``)."""
    context = {"center": current(), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, using=MAIL).split())
    body = render_to_string(f"{template}.txt", context, using=MAIL)
    return subject, body


def build_email(
    template: str, context: dict, *, to: list[str] | None = None, **kwargs
) -> EmailMessage:
    """An EmailMessage rendered from ``template`` (not sent; the sender addresses it)."""
    subject, body = render_email(template, context)
    return email_message(subject, body, to=to, **kwargs)


def email_message(subject: str, body: str, *, to: list[str] | None = None, **kwargs):
    """An EmailMessage of an already rendered subject and body, with the automated headers."""
    headers = {**automated_headers(), **kwargs.pop("headers", {})}
    return EmailMessage(subject=subject, body=body, to=to, headers=headers, **kwargs)


# Rendering once for many recipients: a template rendered with ``slot("name")`` in place of a
# per-recipient value, then ``fill_slots`` per recipient (one pass, so a value that happens to
# look like a slot is never filled again). NUL never occurs in a rendered value.
_SLOT = re.compile("\x00([a-z_]+)\x00")


def slot(name: str) -> str:
    """The placeholder of a per-recipient value in a text rendered once for many."""
    return f"\x00{name}\x00"


def fill_slots(text: str, values: dict[str, str]) -> str:
    """``text`` with every slot replaced by its value (a missing value is an error)."""
    return _SLOT.sub(lambda match: values[match.group(1)], text)


def sender_address() -> str:
    """The address every email is sent from (``DEFAULT_FROM_EMAIL``, without a display name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def sender() -> str:
    """The From of every email: the center's name (core.center) and ``sender_address()``."""
    return str(Address(display_name=current().name, addr_spec=sender_address()))
