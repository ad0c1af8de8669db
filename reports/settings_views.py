"""The page where center staff choose the report's date and period label and write the notes
of each section (``reports.services.save_settings``, audited)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import audit
from core.fiscal import fiscal_year_label
from core.forms import add_service_errors
from core.pages import answer_status
from directory.decorators import center_staff_required
from reports import services
from reports.forms import ReportSettingsForm


@center_staff_required
def report_settings(request, fiscal_year: int):
    if not 2000 <= fiscal_year <= 2100:
        raise Http404
    saved = services.settings_of(fiscal_year)
    initial = {
        "as_of": saved.as_of,
        "period_label": saved.period_label,
        "survey_satisfaction": saved.survey_satisfaction,
    } | {f"notes_{key}": text for key, text in (saved.notes or {}).items()}
    form = ReportSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(
                fiscal_year=fiscal_year,
                as_of=form.cleaned_data["as_of"],
                period_label=form.cleaned_data["period_label"],
                notes=form.notes(),
                survey_satisfaction=form.cleaned_data["survey_satisfaction"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report settings were saved."))
            return redirect("reports:fiscal_year", fiscal_year=fiscal_year)
    return render(
        request,
        "reports/settings.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "label": fiscal_year_label(fiscal_year),
            "history": audit.history(saved)[:20] if saved.pk else [],
        },
        status=answer_status(request),
    )
