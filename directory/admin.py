from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from directory.models import (
    ApiToken,
    Block,
    Contact,
    District,
    Municipality,
    PartnerOrganization,
    User,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["department", "name", "email", "phone", "receives_notifications"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "order"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "office_name", "kind", "order"]
    inlines = [ContactInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kana", "kind", "district", "block"]
    list_filter = ["block", "district", "kind"]
    search_fields = ["name", "kana"]
    list_select_related = ["district", "block"]
    inlines = [ContactInline]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "kana"]
    inlines = [ContactInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "district", "municipality"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "district", "municipality"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["created_at", "last_used_at"]
