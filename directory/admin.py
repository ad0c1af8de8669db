"""The directory in the admin. Blocks, districts, municipalities, organizations, their contacts
and users stay editable here, and every save or delete is an audit entry (person, old → new).
API tokens are read-only; the one action, revoking, calls the service."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import audit
from core.admin import AuditedAdminMixin, ReadOnlyAdmin
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
from directory.services import revoke_api_token

audit.register_actions(
    {
        f"directory.{model}.{verb}": label
        for model in ("municipality", "partnerorganization", "contact")
        for verb, label in (
            ("created", _("Created in the admin")),
            ("changed", _("Changed in the admin")),
            ("deleted", _("Deleted in the admin")),
        )
    }
    | {
        "directory.block.changed": _("Changed in the admin"),
        "directory.block.deleted": _("Deleted in the admin"),
        "directory.district.changed": _("Changed in the admin"),
        "directory.district.deleted": _("Deleted in the admin"),
        "directory.user.created": _("Created in the admin"),
        "directory.user.changed": _("Changed in the admin"),
        "directory.user.deleted": _("Deleted in the admin"),
    }
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["department", "name", "email", "phone", "receives_notifications"]


class DirectoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Block)
class BlockAdmin(DirectoryAdmin):
    list_display = ["name", "kana", "order"]


@admin.register(District)
class DistrictAdmin(DirectoryAdmin):
    list_display = ["name", "office_name", "kind", "block", "order"]
    inlines = [ContactInline]


@admin.register(Municipality)
class MunicipalityAdmin(DirectoryAdmin):
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
class PartnerOrganizationAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "kana"]
    inlines = [ContactInline]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "district", "municipality"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "district", "municipality"]}),
    ]
    audit_exclude = ("password", "last_login")


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(modeladmin, request, queryset):
    tokens = list(queryset.filter(revoked_at__isnull=True))
    for token in tokens:
        revoke_api_token(token=token, by=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
        % {"count": len(tokens)},
        messages.SUCCESS,
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = [revoke_tokens]
