from django.contrib import admin

from training.models import Course, Event, EventPart, EventPartLecturer, Lecturer, Registration


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "fiscal_year"]
    list_filter = ["fiscal_year"]


@admin.register(Lecturer)
class LecturerAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "affiliation", "title"]
    search_fields = ["name", "kana", "affiliation"]


class EventPartInline(admin.TabularInline):
    model = EventPart
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "starts_at", "capacity", "course"]
    list_filter = ["kind", "status", "course"]
    search_fields = ["title", "label"]
    list_select_related = ["course"]
    readonly_fields = ["sequence", "updated_at", "published_at", "cancelled_at"]
    filter_horizontal = ["staff"]
    inlines = [EventPartInline]


class EventPartLecturerInline(admin.TabularInline):
    model = EventPartLecturer
    extra = 0


@admin.register(EventPart)
class EventPartAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "order", "kind"]
    list_select_related = ["event"]
    inlines = [EventPartLecturerInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-mostly: seats and waitlist change only through the staff pages (services)."""

    list_display = ["name", "event", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["name", "kana", "email", "organization"]
    list_select_related = ["event"]
    readonly_fields = [
        "event",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "waitlisted_at",
        "cancelled_at",
    ]
    exclude = ["secret_nonce", "management_token_hash", "confirmation_token_hash"]

    def has_add_permission(self, request):
        return False
