"""Staff pages of attendance: rosters, check-in at the door, entry from paper, walk-ins,
online imports, counts, sign-in sheets, exports and certificates.

Every page works without JavaScript (plain forms, redirect after POST); the check-in page
adds a script that records each tap with fetch() and retries over a poor connection.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import documents, exports, permissions, queries, services
from attendance.forms import (
    ImportForm,
    MinimumForm,
    PaperForm,
    ResolveForm,
    StatusForm,
    WalkInForm,
    add_service_errors,
)
from attendance.imports import name_key
from attendance.kana import to_hiragana
from attendance.models import (
    Certificate,
    ImportedAttendee,
    OnlineImport,
    Roster,
    RosterChange,
    RosterEntry,
)
from core.errors import Conflict
from core.fiscal import fiscal_year_label, fiscal_year_of, today
from directory.decorators import staff_required
from training.models import Event, Registration


def _event(request, event_id: int, check=None) -> Event:
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("roster"), pk=event_id
    )
    if check is not None and not check(request.user, event):
        raise PermissionDenied
    return event


def _roster(event: Event) -> Roster:
    try:
        return event.roster
    except Roster.DoesNotExist:
        return Roster(event=event)


def _entries(event: Event) -> list[RosterEntry]:
    rows = RosterEntry.objects.filter(event=event).select_related("municipality", "recorded_by")
    return sorted(rows, key=RosterEntry.sort_key)


def _attended(entries) -> int:
    return sum(1 for e in entries if e.attended)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _refusal(request, exc) -> None:
    """A refused service call becomes an error message above the page."""
    if isinstance(exc, Conflict):
        messages.error(request, exc.message)
    else:
        for message in exc.messages:
            messages.error(request, message)


# --- overview and counts --------------------------------------------------------------------


@require_GET
@staff_required
def index(request):
    """The fiscal year's events with how many attended, and the year's breakdowns."""
    try:
        fiscal_year = int(request.GET.get("fy") or fiscal_year_of(today()))
    except ValueError:
        raise Http404 from None
    counts = queries.fiscal_year_counts(fiscal_year, permissions.count_scope(request.user))
    current = today()
    return render(
        request,
        "attendance/index.html",
        {
            "counts": counts,
            "today": current,
            # On the day, the venue's events come first, each with a large 受付 button.
            "todays": [
                row
                for row in counts.events
                if timezone.localdate(row.event.starts_at) <= current
                and timezone.localdate(row.event.ends_at) >= current
            ],
            "fiscal_year": fiscal_year,
            "fiscal_year_label": fiscal_year_label(fiscal_year, request.LANGUAGE_CODE),
            "previous_year": fiscal_year - 1,
            "next_year": fiscal_year + 1,
            "can_see_rosters": permissions.can_see_roster(request.user, None),
            "scoped": permissions.count_scope(request.user) is not None,
        },
    )


@require_GET
@staff_required
def event_counts(request, event_id: int):
    event = _event(request, event_id)
    return render(
        request,
        "attendance/counts.html",
        {
            "event": event,
            "counts": queries.event_counts(event, permissions.count_scope(request.user)),
            "scoped": permissions.count_scope(request.user) is not None,
            "can_see_roster": permissions.can_see_roster(request.user, event),
        },
    )


# --- roster ---------------------------------------------------------------------------------


@require_GET
@staff_required
def roster(request, event_id: int):
    event = _event(request, event_id, permissions.can_see_roster)
    entries = _entries(event)
    changes = (
        RosterChange.objects.filter(entry__event=event)
        .select_related("entry", "changed_by")
        .order_by("-changed_at", "-id")
    )
    roster = _roster(event)
    certified = set(
        Certificate.objects.filter(entry__event=event).values_list("entry_id", flat=True)
    )
    return render(
        request,
        "attendance/roster.html",
        {
            "event": event,
            "roster": roster,
            "entries": entries,
            "attended": _attended(entries),
            "changes": list(changes),
            "certified": certified,
            "minimum_form": MinimumForm(initial={"minimum_minutes": roster.minimum_minutes}),
            "minimum": roster.effective_minimum_minutes(),
            "to_add": services.roster_additions(event),
            "unresolved": ImportedAttendee.objects.filter(
                online_import__event=event, resolution=ImportedAttendee.Resolution.UNMATCHED
            ).count(),
        },
    )


@require_POST
@staff_required
def build(request, event_id: int):
    event = _event(request, event_id, permissions.can_record_attendance)
    try:
        result = services.build_roster(event=event, user=request.user)
    except (ValidationError, Conflict) as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request,
            _("Roster updated: %(registrations)d from registrations, %(invitations)d invited, "
              "%(removed)d removed.")
            % {
                "registrations": result.from_registrations,
                "invitations": result.from_invitations,
                "removed": result.removed,
            },
        )  # fmt: skip
    return redirect(_back(request, reverse("attendance:roster", args=[event.id])))


@require_POST
@staff_required
def close(request, event_id: int):
    event = _event(request, event_id, permissions.can_close_roster)
    if request.POST.get("action") == "reopen":
        services.reopen_roster(event=event, user=request.user)
        messages.success(request, _("The roster is open again."))
    else:
        services.close_roster(event=event, user=request.user)
        messages.success(request, _("The roster is closed. Later changes need a reason."))
    return redirect("attendance:roster", event.id)


@require_POST
@staff_required
def minimum(request, event_id: int):
    event = _event(request, event_id, permissions.can_record_attendance)
    form = MinimumForm(request.POST)
    if form.is_valid():
        services.set_minimum_minutes(
            event=event, minutes=form.cleaned_data["minimum_minutes"], user=request.user
        )
        messages.success(request, _("The minimum attended time is saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("attendance:roster", event.id)


# --- check-in at the door -------------------------------------------------------------------


def search_text(entry: RosterEntry) -> str:
    """What the check-in search compares with: name, reading (as hiragana) and organization,
    without spaces, lower-cased."""
    return " ".join(
        [
            name_key(entry.name),
            name_key(to_hiragana(entry.name)),
            name_key(to_hiragana(entry.kana)),
            name_key(entry.organization),
        ]
    )


@require_GET
@staff_required
def check_in(request, event_id: int):
    event = _event(request, event_id, permissions.can_record_attendance)
    entries = _entries(event)
    query = request.GET.get("q", "").strip()
    rows = [(entry, search_text(entry)) for entry in entries]
    if query:
        needle = name_key(to_hiragana(query))
        rows = [(entry, text) for entry, text in rows if needle in text]
    return render(
        request,
        "attendance/check_in.html",
        {
            "event": event,
            "roster": _roster(event),
            "rows": rows,
            "query": query,
            "attended": _attended(entries),
            "total": len(entries),
            "to_add": services.roster_additions(event),
            "texts": {
                "present": _("Present"),
                "undo": _("Undo"),
                "pending": _("%(count)s not sent yet"),
                "failed": _("Could not record"),
            },
        },
    )


@require_POST
@staff_required
def record(request, entry_id: int):
    """One tap (status present) or any other status, from the check-in page, the roster or the
    entry's page; back to where it came from."""
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related("event"), pk=entry_id
    )
    if not permissions.can_record_attendance(request.user, entry.event):
        raise PermissionDenied
    back = _back(request, reverse("attendance:check_in", args=[entry.event_id]))
    form = StatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    try:
        services.record_attendance(
            entry=entry,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except (ValidationError, Conflict) as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s") % {"name": entry.name, "status": entry.get_status_display()},
        )
    return redirect(back)


@staff_required
def entry_detail(request, entry_id: int):
    """One person: change the status (with a reason once the roster is closed), see the log."""
    entry = get_object_or_404(
        RosterEntry.objects.visible_to(request.user).select_related("event", "municipality"),
        pk=entry_id,
    )
    if not permissions.can_see_roster(request.user, entry.event):
        raise PermissionDenied
    form = StatusForm(initial={"status": entry.status})
    return render(
        request,
        "attendance/entry.html",
        {
            "entry": entry,
            "event": entry.event,
            "roster": _roster(entry.event),
            "form": form,
            "changes": entry.changes.select_related("changed_by"),
        },
    )


# --- paper sheet and walk-ins ---------------------------------------------------------------


@staff_required
def paper(request, event_id: int):
    """Tick everyone who signed the paper sheet, then mark them at once."""
    event = _event(request, event_id, permissions.can_record_attendance)
    entries = _entries(event)
    form = PaperForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_attendance_in_bulk(
                event=event,
                entry_ids=form.cleaned_data["entries"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(count)d people recorded.") % {"count": changed})
            return redirect("attendance:roster", event.id)
    return render(
        request,
        "attendance/paper.html",
        {"event": event, "roster": _roster(event), "form": form, "entries": entries},
    )


@staff_required
def walk_in(request, event_id: int):
    event = _event(request, event_id, permissions.can_record_attendance)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.add_walk_in(event=event, user=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(name)s was added as present.") % {"name": entry.name})
            return redirect(_back(request, reverse("attendance:check_in", args=[event.id])))
    return render(
        request,
        "attendance/walk_in.html",
        {"event": event, "roster": _roster(event), "form": form, "next": _back(request, "")},
    )


# --- online import --------------------------------------------------------------------------


@staff_required
def import_report(request, event_id: int):
    event = _event(request, event_id, permissions.can_record_attendance)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            online_import = services.import_online_attendance(
                event=event, user=request.user, data=upload.read(), filename=upload.name
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("attendance:import_detail", online_import.id)
    imports = OnlineImport.objects.filter(event=event).select_related("uploaded_by")
    roster = _roster(event)
    return render(
        request,
        "attendance/import.html",
        {
            "event": event,
            "roster": roster,
            "form": form,
            "imports": imports,
            "minimum": roster.effective_minimum_minutes(),
        },
    )


@require_GET
@staff_required
def import_detail(request, import_id: int):
    online_import = get_object_or_404(
        OnlineImport.objects.select_related("event", "uploaded_by").prefetch_related(
            Prefetch("attendees", queryset=ImportedAttendee.objects.select_related("entry"))
        ),
        pk=import_id,
    )
    event = online_import.event
    if not permissions.can_see_roster(request.user, event):
        raise PermissionDenied
    attendees = list(online_import.attendees.all())
    entries = _entries(event)
    return render(
        request,
        "attendance/import_detail.html",
        {
            "event": event,
            "roster": _roster(event),
            "online_import": online_import,
            "matched": [a for a in attendees if a.entry_id],
            "unmatched": [
                a for a in attendees if a.resolution == ImportedAttendee.Resolution.UNMATCHED
            ],
            "dismissed": [
                a for a in attendees if a.resolution == ImportedAttendee.Resolution.DISMISSED
            ],
            "resolve_form": ResolveForm(entries=entries),
        },
    )


@require_POST
@staff_required
def resolve(request, attendee_id: int):
    attendee = get_object_or_404(
        ImportedAttendee.objects.select_related("online_import__event"), pk=attendee_id
    )
    event = attendee.online_import.event
    if not permissions.can_record_attendance(request.user, event):
        raise PermissionDenied
    form = ResolveForm(request.POST, entries=RosterEntry.objects.filter(event=event))
    if form.is_valid():
        entry = None
        if form.cleaned_data["entry"]:
            entry = RosterEntry.objects.filter(event=event, pk=form.cleaned_data["entry"]).first()
        try:
            services.resolve_imported_attendee(
                attendee=attendee,
                user=request.user,
                action=form.cleaned_data["action"],
                entry=entry,
            )
        except (ValidationError, Conflict) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("%(name)s is resolved.") % {"name": attendee.name})
    else:
        messages.error(request, _("Choose a person on this roster."))
    return redirect("attendance:import_detail", attendee.online_import_id)


# --- documents ------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@staff_required
def sign_in_sheet(request, event_id: int):
    """The A4 出席簿 to print: everyone on the roster in kana order, blank rows for walk-ins."""
    event = _event(request, event_id, permissions.can_see_roster)
    entries = [e for e in _entries(event) if e.status not in (RosterEntry.Status.EXCUSED,)]
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
    event = _event(request, event_id, permissions.can_see_roster)
    affiliations = dict(RosterEntry._meta.get_field("affiliation_type").choices)
    rows = [
        [
            number,
            e.name,
            e.kana,
            str(affiliations.get(e.affiliation_type, e.affiliation_type)),
            e.organization,
            e.municipality.name if e.municipality_id else "",
            e.job_title,
            str(e.get_status_display()),
            e.checked_in_at,
            e.attended_minutes,
            str(e.get_source_display()),
        ]
        for number, e in enumerate(_entries(event), start=1)
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        data = exports.table_xlsx(EXPORT_HEADINGS, rows, sheet_title=event.label or "名簿")
        content_type, filename = exports.XLSX_CONTENT_TYPE, f"roster-{event.id}-{stamp}.xlsx"
    else:
        data = exports.table_csv(EXPORT_HEADINGS, rows)
        content_type, filename = exports.CSV_CONTENT_TYPE, f"roster-{event.id}-{stamp}.csv"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
            _refusal(request, exc)
            return redirect("attendance:roster", entry.event_id)
        return redirect("attendance:certificate", entry.id)
    found = get_object_or_404(Certificate.objects.select_related("entry__event"), entry=entry)
    return _certificate_response(found)


@require_GET
def trainee_certificate(request, token: str):
    """The trainee's own certificate, reached with the secret token of their management link
    (no account). The first visit issues it, so its number is fixed from then on; someone who
    has not attended gets 404, like a wrong token."""
    registration = Registration.objects.for_token(token).select_related("event").first()
    if registration is None:
        raise Http404
    entry = RosterEntry.objects.filter(registration=registration).select_related("event").first()
    if entry is None or not entry.attended or entry.event.status == Event.Status.CANCELLED:
        raise Http404
    certificate = services.issue_certificate(entry=entry, user=None)
    certificate.entry = entry
    return _certificate_response(certificate)
