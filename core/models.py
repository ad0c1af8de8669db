"""The audit trail: one row per change a service makes, written by the service itself
(see core.audit)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )

    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class AuditEntry(models.Model):
    """Who did what to which object, when, with the old and new value of each changed field
    (``changes = {"field": [old, new]}``) and free details such as a reason (``data``)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # Kept when the user is deleted; "system" for jobs, the public for registrants.
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class InventedFiscalYear(models.Model):
    """A fiscal year whose data is invented for the demo (``load_demo``): every page that shows
    the year says so (``core.demo``), so nobody takes it for the prefecture's figures."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("invented fiscal year")
        verbose_name_plural = _("invented fiscal years")

    def __str__(self) -> str:
        return str(self.fiscal_year)
