"""One run of an erasure: the scheduled one (past each retention period) or a person's request.

The row is written when the run starts and its ``counts`` after every batch, in the batch's own
transaction, so a run that dies half-way leaves what it erased counted and ``finished_at``
empty; the next run carries on (rows already erased are not touched again). It holds counts
only: never the name or the address a request was about.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import when


class Erasure(models.Model):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("past its retention period")
        REQUEST = "request", _("a person's request")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    cutoffs = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")

    def __str__(self):
        return f"{self.get_kind_display()} {when(self.started_at)}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
