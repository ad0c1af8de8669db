"""Sign-in sheets, exports and certificates (staff's and the trainee's own)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from attendance import documents, permissions, services
from attendance.models import (
    Certificate,
    RosterEntry,
    walk_in_label,
)
from attendance.registrant_page import checkin_code_shown
from attendance.views.common import show_refusal, sorted_entries, staff_event
from core import exports
from core.errors import Conflict
from directory.decorators import staff_required
from training.models import Event, Registration


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@staff_required
def sign_in_sheet(request, event_id: int):
    """The A4 出席簿 to print: everyone on the roster in kana order, blank rows for walk-ins."""
    event = staff_event(request, event_id, permissions.can_see_roster)
    entries = [e for e in sorted_entries(event) if e.status not in (RosterEntry.Status.EXCUSED,)]
    try:
        blank = max(0, min(int(request.GET.get("blank", 10)), 200))
    except ValueError:
        blank = 10
    rows = [documents.SheetRow(e.name, e.kana, e.organization, e.job_title) for e in entries]
    header = documents.SheetHeader(str(event), event.starts_at, event.ends_at, event.venue)
    return _pdf(
        documents.sign_in_sheet_pdf(header, rows, blank_rows=blank), f"sign-in-{event.id}.pdf"
    )


EXPORT_HEADINGS = [
    "No.", "氏名", "ふりがな", "所属種別", "所属", "市町村", "職種", "出欠", "受付時刻",
    "参加時間（分）", "区分",
]  # fmt: skip


@require_GET
@staff_required
def export(request, event_id: int, fmt: str):
    """The roster as CSV (UTF-8 with BOM, CRLF: opens in Excel) or XLSX. No emails."""
    event = staff_event(request, event_id, permissions.can_see_roster)
    rows = [
        [
            number,
            e.name,
            e.kana,
            walk_in_label(e.affiliation_type),
            e.organization,
            e.municipality.name if e.municipality_id else "",
            e.job_title,
            str(e.get_status_display()),
            e.checked_in_at,
            e.attended_minutes,
            str(e.get_source_display()),
        ]
        for number, e in enumerate(sorted_entries(event), start=1)
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        return exports.xlsx_response(
            EXPORT_HEADINGS,
            rows,
            filename=f"roster-{event.id}-{stamp}.xlsx",
            sheet_title=event.label or "名簿",
        )
    return exports.csv_response(EXPORT_HEADINGS, rows, filename=f"roster-{event.id}-{stamp}.csv")


def _certificate_response(certificate: Certificate) -> HttpResponse:
    entry = certificate.entry
    event = entry.event
    content = documents.CertificateContent(
        number_label=certificate.label,
        name=entry.name,
        organization=entry.organization,
        event_title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue=event.venue,
        issued_on=timezone.localdate(certificate.issued_at),
    )
    return _pdf(
        documents.certificate_pdf(content),
        f"certificate-{certificate.fiscal_year}-{certificate.number}.pdf",
    )


@staff_required
def certificate(request, entry_id: int):
    """POST issues (or finds) the certificate; GET shows the PDF of an issued one."""
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related("event"), pk=entry_id
    )
    if not permissions.can_issue_certificate(request.user, entry):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.issue_certificate(entry=entry, user=request.user)
        except (ValidationError, Conflict) as exc:
            show_refusal(request, exc)
            return redirect("attendance:roster", entry.event_id)
        return redirect("attendance:certificate", entry.id)
    found = get_object_or_404(Certificate.objects.select_related("entry__event"), entry=entry)
    return _certificate_response(found)


@require_http_methods(["GET", "POST"])
def trainee_certificate(request, token: str):
    """The trainee's own certificate, reached with the secret token of their management link
    (no account). A POST issues it (its number is fixed from then on) and leads to the PDF; a
    GET shows the PDF once issued, else the button that issues it, so a GET never writes.
    Someone who has not attended gets 404, like a wrong token."""
    registration = Registration.objects.for_token(token).select_related("event").first()
    if registration is None:
        raise Http404
    entry = RosterEntry.objects.filter(registration=registration).select_related("event").first()
    if entry is None or not entry.attended or entry.event.status == Event.Status.CANCELLED:
        raise Http404
    if request.method == "POST":
        services.issue_certificate(entry=entry, user=None)
        return redirect("attendance:trainee_certificate", token=token)
    certificate = Certificate.objects.filter(entry=entry).first()
    if certificate is None:
        return render(
            request, "attendance/trainee_certificate.html", {"event": entry.event, "token": token}
        )
    certificate.entry = entry
    return _certificate_response(certificate)


@require_GET
def admission_ticket(request, token: str):
    """The trainee's 受講票 (A4 PDF with the check-in QR code), reached with the secret token
    of their management link: for a confirmed registration of an event that is not cancelled
    nor over; anything else is 404, like a wrong token."""
    registration = Registration.objects.for_token(token).select_related("event").first()
    if registration is None or not checkin_code_shown(registration):
        raise Http404
    event = registration.event
    content = documents.TicketContent(
        name=registration.name,
        organization=registration.organization,
        event_title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue=event.venue,
        checkin_code=registration.checkin_code,
    )
    return _pdf(documents.admission_ticket_pdf(content), f"admission-{event.pk}.pdf")
