from django.contrib import admin

from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    MeetingCadence,
    Plan,
    PlanRevision,
    Target,
    Visit,
    VisitPostponement,
)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind"]
    list_filter = ["kind"]


class PlanRevisionInline(admin.TabularInline):
    model = PlanRevision
    extra = 0
    readonly_fields = ["revised_by", "revised_at", "old_planned", "new_planned", "reason"]
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["target", "fiscal_year", "planned"]
    list_filter = ["fiscal_year"]
    readonly_fields = ["planned"]
    inlines = [PlanRevisionInline]


class VisitPostponementInline(admin.TabularInline):
    model = VisitPostponement
    extra = 0
    can_delete = False
    readonly_fields = ["old_starts_at", "new_starts_at", "reason", "postponed_by", "postponed_at"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["target", "kind", "starts_at", "status"]
    list_filter = ["status", "kind"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "sequence", "cancelled_at", "completed_at"]
    inlines = [VisitPostponementInline]


admin.site.register(CaseMeeting)
admin.site.register(MeetingCadence)
admin.site.register(LecturerDispatch)
