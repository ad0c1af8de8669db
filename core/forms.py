"""Putting a service's errors back on the form that sent its input."""

from django import forms
from django.core.exceptions import ValidationError

from core.errors import Conflict


def add_service_errors(
    form: forms.Form, error: ValidationError | Conflict, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError (or Conflict) on the form: each message under the field
    it names (``aliases`` maps a service's field name to the form's), otherwise above the form."""
    if isinstance(error, Conflict):
        form.add_error(None, error.message)
        return
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    aliases = aliases or {}
    for field, messages in error.message_dict.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def error_text(error: ValidationError | Conflict) -> str:
    """A service error as one sentence for a flash message."""
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.messages)
