"""The fiscal-year report page and its text download (center staff only)."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_end, fiscal_year_of, today
from directory.decorators import center_staff_required
from reports.fiscal_year import build_report, render_text


def _parameters(request, fiscal_year: int) -> tuple[dt.date, str | None]:
    """The report date from ``?as_of=``: default today, or the fiscal year's last day for a
    past year. A malformed date or one outside the fiscal year is an error shown on the page."""
    if not 2000 <= fiscal_year <= 2100:
        raise Http404
    default = min(today(), fiscal_year_end(fiscal_year))
    raw = request.GET.get("as_of")
    if not raw:
        return default, None
    try:
        as_of = dt.date.fromisoformat(raw)
    except ValueError:
        return default, _("Enter the report date as YYYY-MM-DD.")
    if fiscal_year_of(as_of) != fiscal_year:
        return default, _("The report date must be within the fiscal year.")
    return as_of, None


@center_staff_required
def fiscal_year_report(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    return render(
        request,
        "reports/fiscal_year.html",
        {"report": report, "text": render_text(report), "error": error},
    )


@center_staff_required
def fiscal_year_report_text(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    response = HttpResponse(render_text(report), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="report-FY{fiscal_year}-{as_of.isoformat()}.txt"'
    )
    return response


@center_staff_required
def current_report(request):
    return fiscal_year_report(request, fiscal_year_of(today()))
