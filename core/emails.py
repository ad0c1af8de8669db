"""Rendering an email from templates: ``<name>_subject.txt`` (one line) and ``<name>.txt``.
Every email gets ``center`` in its context for the signature."""

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from core.center import current


def render_email(template: str, context: dict) -> tuple[str, str]:
    """The subject (collapsed to one line) and body of ``template`` (e.g.
    ``"training/email/confirmed"``)."""
    context = {"center": current(), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return subject, body


def build_email(
    template: str, context: dict, *, to: list[str] | None = None, **kwargs
) -> EmailMessage:
    """An EmailMessage rendered from ``template`` (not sent; the sender addresses it)."""
    subject, body = render_email(template, context)
    return EmailMessage(subject=subject, body=body, to=to, **kwargs)


def sender_address() -> str:
    """The address every email is sent from (``DEFAULT_FROM_EMAIL``, without a display name)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def sender() -> str:
    """The From of every email: the center's name (core.center) and ``sender_address()``."""
    return str(Address(display_name=current().name, addr_spec=sender_address()))
