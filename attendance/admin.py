from django.contrib import admin

from attendance.models import Certificate, OnlineImport, Roster, RosterChange, RosterEntry


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ["event", "minimum_minutes", "closed_at"]
    raw_id_fields = ["event", "closed_by"]


@admin.register(RosterEntry)
class RosterEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "event", "source", "status", "checked_in_at", "is_demo"]
    list_filter = ["status", "source", "is_demo"]
    search_fields = ["name", "kana", "organization"]
    raw_id_fields = ["event", "registration", "contact", "municipality", "recorded_by"]


@admin.register(RosterChange)
class RosterChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "old_status", "new_status", "reason", "changed_by", "changed_at"]
    raw_id_fields = ["entry", "changed_by"]


@admin.register(OnlineImport)
class OnlineImportAdmin(admin.ModelAdmin):
    list_display = ["event", "filename", "format", "rows", "uploaded_at"]
    raw_id_fields = ["event", "uploaded_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["label", "entry", "issued_at"]
    raw_id_fields = ["entry", "issued_by"]
