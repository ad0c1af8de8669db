"""The page side of a use case: form → service → message → redirect, and 422 on a refusal.

    form = CancelForm(request.POST or None)
    outcome = submit(request, form, lambda data: services.cancel_visit(
        actor=request.user, visit_id=pk, reason=data["reason"]))
    if outcome.done:
        flash.success(request, _("The visit is cancelled."))
        return redirect(...)
    return form_page(request, "supervision/form.html", {"form": form})

The service decides (permission included): its ValidationError lands on the field it names
(``aliases`` maps a service's field to the form's), its Conflict above the form; NotFound and
Forbidden pass through to Django's 404 and 403 pages. A POST that comes back to its form is
answered 422, a GET 200."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.shortcuts import render

from core.errors import Conflict
from core.forms import add_service_errors


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None


NOT_DONE = Outcome(done=False)


def submit(
    request,
    form,
    call: Callable[[dict], Any],
    *,
    aliases: dict[str, str] | None = None,
    conflict_as_message: bool = False,
) -> Outcome:
    """On a POST whose form is valid, ``call(form.cleaned_data)``; what the service refuses
    goes back on the form (a Conflict, with ``conflict_as_message``, as an error message
    above the page instead: the state may hide the form). ``Outcome.done`` says whether the
    service did it."""
    if request.method != "POST" or not form.is_valid():
        return NOT_DONE
    try:
        value = call(form.cleaned_data)
    except Conflict as error:
        if conflict_as_message:
            flash.error(request, error.message)
        else:
            add_service_errors(form, error)
        return NOT_DONE
    except ValidationError as error:
        add_service_errors(form, error, aliases=aliases)
        return NOT_DONE
    return Outcome(done=True, value=value)


def answer_status(request) -> int:
    """422 for a POST that comes back to its page (refused or invalid), else 200."""
    return 422 if request.method == "POST" else 200


def form_page(request, template: str, context: dict):
    """The page with its form, 422 when a POST comes back to it."""
    return render(request, template, context, status=answer_status(request))
