from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from directory import center, sources
from directory.models import (
    ApiToken,
    Block,
    CenterProfile,
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
    list_display = ["name", "office_name", "kind", "block", "order"]
    inlines = [ContactInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kana", "kind", "district", "block", "is_current"]
    list_filter = ["is_current", "block", "district", "kind"]
    search_fields = ["name", "kana", "code"]
    list_select_related = ["district", "block"]
    # From the official list: manage.py setup_prefecture keeps these (matched by code).
    readonly_fields = ["code", "name", "kana", "kind", "latitude", "longitude", "is_current"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        return False  # municipalities come from the official list (setup_prefecture)


class CenterProfileAdminForm(forms.ModelForm):
    class Meta:
        model = CenterProfile
        fields = [
            "prefecture",
            "name",
            "short_name",
            "phone",
            "fax",
            "email",
            "address",
            "sections",
        ]

    def clean_prefecture(self):
        value = self.cleaned_data["prefecture"].strip()
        if value and sources.find_prefecture(value) is None:
            raise forms.ValidationError(_("Unknown prefecture."))
        return value


@admin.register(CenterProfile)
class CenterProfileAdmin(admin.ModelAdmin):
    """The one profile row; saved through directory.center.update_profile (audited)."""

    form = CenterProfileAdminForm
    list_display = ["name", "prefecture", "phone", "email"]

    def has_add_permission(self, request):
        return not CenterProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name]
            for name in center.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        saved = center.update_profile(by=request.user, **values)
        obj.pk = saved.pk


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
