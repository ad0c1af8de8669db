"""The fiscal-year report: its page, text, XLSX and PDF downloads, the list of lecturer
dispatches it counts, and the page where center staff enter section １'s figures. Center staff
only; anyone else gets 404."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from attendance.documents import FontMissing
from core import audit
from core.exports import XLSX_CONTENT_TYPE
from core.fiscal import (
    TOKYO,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    today,
)
from core.forms import add_service_errors
from directory.decorators import center_staff_required
from reports import charts, exports, services
from reports.fiscal_year import build_report, previous_report
from reports.forms import ChannelForm, DirectSupportForm
from reports.models import ConsultationChannel, DirectSupportFigures
from reports.queries import fiscal_years_with_data
from reports.sections import case_meeting_line, closing_lines, render_text, sections, title
from supervision.models import LecturerDispatch


def _parameters(request, fiscal_year: int) -> tuple[dt.date, str | None]:
    """The report date from ``?as_of=``: default today, or the fiscal year's last day for a
    past year. A malformed date or one outside the fiscal year is an error shown on the page."""
    if not 2000 <= fiscal_year <= 2100:
        raise Http404
    default = services.default_as_of(fiscal_year)
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


def _file_name(report, extension: str) -> str:
    return f"report-FY{report.fiscal_year}-{report.as_of.isoformat()}.{extension}"


@center_staff_required
def fiscal_year_report(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    previous = previous_report(report)
    years = fiscal_years_with_data() | {fiscal_year, fiscal_year_of(today())}
    return render(
        request,
        "reports/fiscal_year.html",
        {
            "report": report,
            "previous": previous,
            "title": title(report),
            "sections": sections(report),
            "case_meetings": case_meeting_line(report),
            "closing": closing_lines(report),
            "charts": charts.report_charts(report, previous),
            "text": render_text(report),
            "error": error,
            "years": [(year, fiscal_year_label(year)) for year in sorted(years, reverse=True)],
            "query": f"?as_of={report.as_of.isoformat()}",
        },
    )


@center_staff_required
def fiscal_year_report_text(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    response = HttpResponse(render_text(report), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "txt")}"'
    return response


@center_staff_required
def fiscal_year_report_xlsx(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    response = HttpResponse(exports.report_xlsx(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "xlsx")}"'
    return response


@center_staff_required
def fiscal_year_report_pdf(request, fiscal_year: int):
    as_of, error = _parameters(request, fiscal_year)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = build_report(fiscal_year=fiscal_year, as_of=as_of)
    try:
        pdf = exports.report_pdf(report, charts.report_charts(report, previous_report(report)))
    except FontMissing:
        return HttpResponse(
            _("The Japanese font for PDFs is not installed (fonts-ipaexfont)."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "pdf")}"'
    return response


@center_staff_required
def current_report(request):
    """The report of ``?fy=`` (the year selector) or of the current fiscal year."""
    raw = request.GET.get("fy")
    if raw:
        try:
            fiscal_year = int(raw)
        except ValueError:
            fiscal_year = fiscal_year_of(today())
        if 2000 <= fiscal_year <= 2100:
            return redirect("reports:fiscal_year", fiscal_year=fiscal_year)
    return fiscal_year_report(request, fiscal_year_of(today()))


@center_staff_required
def dispatches(request, fiscal_year: int):
    """The lecturer dispatches the report counts: not cancelled, from the start of the fiscal
    year to the end of the report date."""
    as_of, error = _parameters(request, fiscal_year)
    start = fiscal_year_bounds(fiscal_year)[0]
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TOKYO)
    rows = (
        LecturerDispatch.objects.exclude(status=LecturerDispatch.Status.CANCELLED)
        .filter(Q(starts_at__gte=start) & Q(starts_at__lt=end))
        .select_related("municipality")
        .order_by("starts_at", "id")
    )
    return render(
        request,
        "reports/dispatches.html",
        {
            "dispatches": rows,
            "fiscal_year": fiscal_year,
            "label": fiscal_year_label(fiscal_year),
            "as_of": as_of,
            "error": error,
        },
    )


def _history(figures, form) -> list[dict]:
    """The figures' audit entries with each changed field named as the form names it."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels |= {f"consultations:{channel.name}": channel.name for channel in form.channels}
    return [
        {
            "at": entry.at,
            "by": entry.actor or entry.actor_label,
            "changes": [
                (labels.get(name, name.removeprefix("consultations:")), old, new)
                for name, (old, new) in entry.changes.items()
            ],
        }
        for entry in audit.history(figures)[:20]
    ]


@center_staff_required
def direct_support(request, fiscal_year: int):
    """Enter section １'s figures for a period (center staff only; other roles get 404)."""
    if not 2000 <= fiscal_year <= 2100:
        raise Http404
    period = request.GET.get("period") or request.POST.get("period")
    if period not in DirectSupportFigures.Period.values:
        period = DirectSupportFigures.Period.FIRST_HALF
    channels = list(ConsultationChannel.objects.all())
    figures = DirectSupportFigures.objects.filter(fiscal_year=fiscal_year, period=period).first()
    form = DirectSupportForm(
        request.POST if request.method == "POST" and "save" in request.POST else None,
        channels=channels,
        initial=_direct_support_initial(period, figures, channels),
    )
    channel_form = ChannelForm(
        request.POST if request.method == "POST" and "add_channel" in request.POST else None
    )
    here = reverse("reports:direct_support", args=[fiscal_year]) + f"?period={period}"
    if request.method == "POST":
        if "add_channel" in request.POST and channel_form.is_valid():
            if _add_channel(request, channel_form):
                return redirect(here)
        elif (
            "save" in request.POST
            and form.is_valid()
            and _save_direct_support(request, form, fiscal_year)
        ):
            return redirect(
                reverse("reports:direct_support", args=[fiscal_year])
                + f"?period={form.cleaned_data['period']}"
            )
    return render(
        request,
        "reports/direct_support.html",
        {
            "form": form,
            "channel_form": channel_form,
            "fiscal_year": fiscal_year,
            "label": fiscal_year_label(fiscal_year),
            "period": period,
            "periods": DirectSupportFigures.Period.choices,
            "history": _history(figures, form) if figures else [],
            "report_as_of": services.period_end(fiscal_year, period),
        },
    )


def _direct_support_initial(period, figures, channels) -> dict:
    """The form's initial values: the saved figures of the period, or zeros."""
    initial = {"period": period}
    if figures:
        initial |= {field: getattr(figures, field) for field in services.FIGURE_FIELDS} | {
            f"channel_{row.channel_id}": row.count for row in figures.consultations.all()
        }
    else:
        initial |= {field: 0 for field in services.FIGURE_FIELDS}
        initial |= {f"channel_{channel.pk}": 0 for channel in channels}
    return initial


def _add_channel(request, channel_form) -> bool:
    """Add the consultation channel of the valid form; False (errors on the form) if refused."""
    try:
        services.add_consultation_channel(name=channel_form.cleaned_data["name"], by=request.user)
    except ValidationError as error:
        add_service_errors(channel_form, error)
        return False
    messages.success(request, _("The consultation channel was added."))
    return True


def _save_direct_support(request, form, fiscal_year: int) -> bool:
    """Record the valid form's figures; False (errors on the form) if refused."""
    data = form.cleaned_data
    try:
        services.record_direct_support(
            fiscal_year=fiscal_year,
            period=data["period"],
            consultations=form.consultations(),
            ibasho_participants=data["ibasho_participants"],
            social_experience_people=data["social_experience_people"],
            social_experience_workplaces=data["social_experience_workplaces"],
            social_experience_days=data["social_experience_days"],
            by=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("The figures were saved."))
    return True
