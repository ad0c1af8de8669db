"""Supervision in the admin: read-only. Plans, visits, case meetings, cadences and lecturer
dispatches change only through the services (staff pages and API), which keep the plan
revisions, SEQUENCE, the reminders and the audit trail right."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
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
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind"]
    list_filter = ["kind"]


class PlanRevisionInline(ReadOnlyTabularInline):
    model = PlanRevision


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["target", "fiscal_year", "planned"]
    list_filter = ["fiscal_year"]
    inlines = [PlanRevisionInline]


class VisitPostponementInline(ReadOnlyTabularInline):
    model = VisitPostponement


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["target", "kind", "starts_at", "status"]
    list_filter = ["status", "kind"]
    date_hierarchy = "starts_at"
    inlines = [VisitPostponementInline]


@admin.register(CaseMeeting)
class CaseMeetingAdmin(ReadOnlyAdmin):
    list_display = ["municipality", "held_on"]


@admin.register(MeetingCadence)
class MeetingCadenceAdmin(ReadOnlyAdmin):
    list_display = ["block", "fiscal_year", "expected"]


@admin.register(LecturerDispatch)
class LecturerDispatchAdmin(ReadOnlyAdmin):
    list_display = ["title", "host", "starts_at", "status"]
