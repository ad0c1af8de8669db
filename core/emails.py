"""Rendering an email from templates: ``<name>_subject.txt`` (one line) and ``<name>.txt``.
Every email gets ``center`` in its context for the signature."""

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


def build_email(template: str, context: dict, *, to: list[str], **kwargs) -> EmailMessage:
    """An EmailMessage rendered from ``template`` (not sent)."""
    subject, body = render_email(template, context)
    return EmailMessage(subject=subject, body=body, to=to, **kwargs)
