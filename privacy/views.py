"""The staff page of a person's request (center staff; anyone else 404): find every record of
an email address or a name, download them as JSON or CSV, erase them now. Every action is a
POST, so the address and the name stay out of URLs, the history and access logs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exports import csv_response
from core.forms import add_service_errors
from directory.decorators import center_staff_required
from privacy import periods
from privacy.erase import label_of
from privacy.forms import PersonForm
from privacy.models import Erasure
from privacy.person import (
    CSV_HEADINGS,
    erase_person,
    export_json,
    export_rows,
    find_records,
)
from privacy.presentation import tables

ACTIONS = {"search", "json", "csv", "erase"}


@center_staff_required
def person_request(request):
    form = PersonForm(request.POST or None)
    found = None
    action = request.POST.get("action", "search")
    if request.method == "POST" and action in ACTIONS and form.is_valid():
        email, name = form.cleaned_data["email"], form.cleaned_data["name"]
        try:
            if action == "erase":
                run = erase_person(email=email, name=name, by=request.user)
                messages.success(
                    request,
                    _("Erased %(total)d records. The audit trail keeps the counts only.")
                    % {"total": run.total},
                )
                return redirect("privacy:person")
            found = find_records(email=email, name=name)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if action == "json":
                response = HttpResponse(export_json(found), content_type="application/json")
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                return response
            if action == "csv":
                return csv_response(CSV_HEADINGS, export_rows(found), filename="personal-data.csv")
    return render(
        request,
        "privacy/person.html",
        {
            "form": form,
            "found": found,
            "tables": tables(found or {}),
            "total": sum(len(rows) for rows in (found or {}).values()),
            "periods": {
                "personal_years": periods.personal_years(),
                "visit_notes_years": periods.visit_notes_years(),
                "outbox_days": periods.outbox_days(),
            },
            "runs": [
                (run, [(label_of(key), count) for key, count in run.counts.items()])
                for run in Erasure.objects.select_related("by")[:10]
            ],
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )
