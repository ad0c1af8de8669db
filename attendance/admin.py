"""Attendance in the admin: read-only. Rosters and their entries change only through the
services (the check-in, roster and import pages, and the API), which log changes to a closed
roster and write the audit trail."""

from django.contrib import admin

from attendance.models import Certificate, OnlineImport, Roster, RosterChange, RosterEntry
from core.admin import ReadOnlyAdmin


@admin.register(Roster)
class RosterAdmin(ReadOnlyAdmin):
    list_display = ["event", "minimum_minutes", "closed_at"]


@admin.register(RosterEntry)
class RosterEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "kana", "event", "source", "status", "checked_in_at", "is_demo"]
    list_filter = ["status", "source", "is_demo"]
    search_fields = ["name", "kana", "organization"]


@admin.register(RosterChange)
class RosterChangeAdmin(ReadOnlyAdmin):
    list_display = ["entry", "old_status", "new_status", "reason", "changed_by", "changed_at"]


@admin.register(OnlineImport)
class OnlineImportAdmin(ReadOnlyAdmin):
    list_display = ["event", "filename", "format", "rows", "uploaded_at"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["label", "entry", "issued_at"]
