"""Admin bases: read-only for what the services change (the one write path), audited for the
directory data that stays editable in the admin."""

from django.contrib import admin

from core import audit
from core.models import AuditEntry


class ReadOnlyAdminMixin:
    """Shown, never changed here: these rows change only through the services (the staff
    pages and the API), which check the rules, plan the reminders, raise the calendar SEQUENCE
    and write the audit trail. A POST to the change form answers 403."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


def _audited_fields(model, exclude) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in exclude
    ]


def _action(model, verb: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{verb}"


class AuditedAdminMixin:
    """Every save and delete through this admin (and its inlines) is an audit entry with the
    person and the old → new values, as a service would write it."""

    audit_exclude: tuple[str, ...] = ()

    def _snapshot(self, obj):
        return audit.snapshot(obj, _audited_fields(type(obj), self.audit_exclude))

    def save_model(self, request, obj, form, change):
        model = type(obj)
        stored = model._default_manager.filter(pk=obj.pk).first() if change else None
        before = self._snapshot(stored) if stored is not None else {}
        super().save_model(request, obj, form, change)
        changes = audit.diff(before, self._snapshot(obj))
        if changes or not change:
            verb = "changed" if change else "created"
            audit.record(obj, _action(model, verb), by=request.user, changes=changes)

    def delete_model(self, request, obj):
        audit.record(
            obj,
            _action(type(obj), "deleted"),
            by=request.user,
            changes=audit.diff(self._snapshot(obj), dict.fromkeys(self._snapshot(obj))),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(obj, _action(type(obj), "deleted"), by=request.user)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a municipality's contacts): each new, changed or deleted row."""
        model = formset.model
        exclude = getattr(self, "audit_inline_exclude", ())
        fields = _audited_fields(model, exclude)
        stored = {
            obj.pk: audit.snapshot(obj, fields)
            for obj in model._default_manager.filter(
                pk__in=[f.instance.pk for f in formset.initial_forms if f.instance.pk]
            )
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            changes = audit.diff({}, audit.snapshot(obj, fields))
            audit.record(obj, _action(model, "created"), by=request.user, changes=changes)
        for obj, _changed in formset.changed_objects:
            changes = audit.diff(stored.get(obj.pk, {}), audit.snapshot(obj, fields))
            if changes:
                audit.record(obj, _action(model, "changed"), by=request.user, changes=changes)
        for obj in formset.deleted_objects:
            before = stored.get(obj.pk, {})
            audit.record(
                obj,
                _action(model, "deleted"),
                by=request.user,
                changes=audit.diff(before, dict.fromkeys(before)),
            )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_label", "action"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("content_type", "actor")
