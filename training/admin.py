"""Training in the admin: read-only. Events, registrations, courses, lecturers and parts change
only through the services (staff pages and API), which keep SEQUENCE, the reminders, the
waitlist and the audit trail right."""

from django.contrib import admin
from django.db import models

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from training.models import Course, Event, EventPart, EventPartLecturer, Lecturer, Registration


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ["title", "fiscal_year"]
    list_filter = ["fiscal_year"]


@admin.register(Lecturer)
class LecturerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kana", "affiliation", "title"]
    search_fields = ["name", "kana", "affiliation"]


class EventPartInline(ReadOnlyTabularInline):
    model = EventPart


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "starts_at", "capacity", "course"]
    list_filter = ["kind", "status", "course"]
    search_fields = ["title", "label"]
    list_select_related = ["course"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [EventPartInline]


class EventPartLecturerInline(ReadOnlyTabularInline):
    model = EventPartLecturer


@admin.register(EventPart)
class EventPartAdmin(ReadOnlyAdmin):
    list_display = ["title", "event", "order", "kind"]
    list_select_related = ["event"]
    inlines = [EventPartLecturerInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["name", "kana", "email", "organization"]
    list_select_related = ["event"]
    exclude = [
        "secret_nonce",
        "management_token_hash",
        "confirmation_token_hash",
        "checkin_hash",
    ]
