"""Dispatch: one outgoing message, due at a moment, about one object, to one recipient.

A row is unique per (kind, object, recipient, due time), so planning a reminder twice is a
no-op; the sender (notifications.services.send_due_dispatches) moves it from pending through
sending to sent, failed, missed or cancelled.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.dates import when
from core.erased import is_erased_address
from core.inputs import BoundedRow
from directory.permissions import is_center_staff
from notifications.topics import topic_for


class DispatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The outbox holds the addresses of trainees and contacts: center staff only."""
        return self if is_center_staff(user) else self.none()

    def about(self, obj):
        """Dispatches whose topic is ``obj`` (an event: its confirmations, reminders, updates)."""
        return self.filter(topic=topic_for(obj))

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )

    def pending(self):
        return self.filter(state=Dispatch.State.PENDING)

    def open(self):
        """Not finished yet: pending or being sent."""
        return self.filter(state__in=[Dispatch.State.PENDING, Dispatch.State.SENDING])

    def problems(self):
        return self.filter(state__in=[Dispatch.State.FAILED, Dispatch.State.MISSED])

    def due(self, now):
        return self.filter(state=Dispatch.State.PENDING, next_attempt_at__lte=now)


class Dispatch(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("due")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")

    class Reason(models.TextChoices):
        NO_LONGER_TRUE = "no_longer_true", _("no longer true at send time")
        OBJECT_GONE = "object_gone", _("its subject was deleted")
        TOO_LATE = "too_late", _("its moment had passed")
        REPLANNED = "replanned", _("no longer planned")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INTERRUPTED = "interrupted", _("the worker stopped while sending")
        UNKNOWN_KIND = "unknown_kind", _("unknown kind of message")
        MAIL_ERROR = "mail_error", _("the mail server failed")

    kind = models.CharField(_("kind"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    topic = models.CharField(_("about"), max_length=100, blank=True, db_index=True)
    recipient = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="ja")
    due_at = models.DateTimeField(_("due at"))
    version = models.PositiveIntegerField(
        default=0,
        help_text="The version of the object the message was planned for (a visit's sequence); "
        "the kind's still_true may compare it.",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "due_at"],
                name="dispatch_once_per_kind_object_recipient_due_at",
            ),
            models.CheckConstraint(
                name="dispatch_sending_has_claim",
                condition=~Q(state="sending") | Q(claimed_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="dispatch_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="dispatch_object_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient} @ {when(self.due_at)}"

    @property
    def recipient_erased(self) -> bool:
        """Its address was erased past the outbox's retention period (core.erased)."""
        return is_erased_address(self.recipient)

    @property
    def kind_label(self) -> str:
        from notifications.registry import label_of

        return label_of(self.kind)


class ReminderDays(BoundedRow, models.Model):
    """How many days before its moment a kind of reminder goes out, for one topic (an event),
    where staff changed the kind's default. The planning code of the app reads it."""

    topic = models.CharField(_("about"), max_length=100)
    kind = models.CharField(_("kind"), max_length=100)
    days = models.JSONField(_("days before"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder days")
        verbose_name_plural = _("reminder days")
        constraints = [
            models.UniqueConstraint(fields=["topic", "kind"], name="reminder_days_once_per_topic")
        ]

    def __str__(self):
        return f"{self.kind} {self.topic}: {self.days}"
