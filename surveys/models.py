"""The questionnaire after a training (研修アンケート), anonymous to staff (docs/surveys.md).

- ``Survey``: one per event; its questions are frozen from the first response on
  (``frozen_at``, set in the transaction that stores that response).
- ``Question``: single choice, multiple choice, 5-point scale, short or long text; required or
  not; in ``order``; ``choices`` for the two choice kinds.
- ``Invitation``: the personal link of one attendee (a roster entry): only the SHA-256 of its
  token, when it expires, and the *day* it was used (to stop the reminder). It is the only row
  that knows a person, and no response points to it.
- ``Response`` / ``Answer``: what was answered. A response knows its survey, its source (web
  or paper) and whether staff hid it from exports and the report — no person, registration,
  invitation, roster entry, day or time; its key is random, so neither its order nor a
  moment can be matched against the invitations.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import RosterEntry
from core.inputs import SURVEY_DAYS, SURVEY_LIMITS, BoundedRow
from training.models import Event

DEFAULT_VALID_DAYS = 14


class Survey(BoundedRow, models.Model):
    event = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="survey", verbose_name=_("event")
    )
    valid_days = models.PositiveSmallIntegerField(
        _("days the link stays valid"), default=DEFAULT_VALID_DAYS
    )
    show_in_report = models.BooleanField(_("in the report"), default=True)
    frozen_at = models.DateTimeField(_("questions frozen at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_days__gte=SURVEY_DAYS[0], valid_days__lte=SURVEY_DAYS[1]),
                name="survey_valid_days_range",
            )
        ]

    def __str__(self):
        return str(self.event)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Question(BoundedRow, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE5 = "scale5", _("5-point scale")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=SURVEY_LIMITS["question"])
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    """The options of a choice question, in order (texts of at most SURVEY_LIMITS["choice"])."""
    code = models.CharField(max_length=30, blank=True, editable=False)
    """Which template question it is ("satisfaction"), for the report's line."""

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple", "scale5", "short_text", "long_text"]),
                name="survey_question_kind",
            )
        ]

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[str]:
        """What may be chosen: the choices, or 1–5 of a scale."""
        if self.kind == self.Kind.SCALE5:
            return [str(label) for label in SCALE_LABELS]
        return list(self.choices) if self.kind in self.CHOICE_KINDS else []


SCALE_LABELS = (
    _("1 (low)"),
    _("2"),
    _("3"),
    _("4"),
    _("5 (high)"),
)


class Invitation(BoundedRow, models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    roster_entry = models.ForeignKey(
        RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    """Whom to mail (and not to remind once used); never reachable from a response."""
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("valid until"))
    used_on = models.DateField(_("answered on"), null=True, blank=True)
    """The day only: a time could be matched against the responses' order."""
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("questionnaire invitation")
        verbose_name_plural = _("questionnaire invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "roster_entry"], name="survey_invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Response(BoundedRow, models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("web")
        PAPER = "paper", _("paper")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    hidden = models.BooleanField(_("hidden from exports and the report"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["survey", "id"]  # random: never the order they came in
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")

    def __str__(self):
        return str(_("questionnaire response"))


class Answer(BoundedRow, models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    """The chosen option's index (0-based), or the scale's value 1–5."""
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question", "choice"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__isnull=False) | ~Q(text=""), name="survey_answer_not_empty"
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="survey_answer_choice_once",
            ),
        ]

    def __str__(self):
        return self.text or str(self.choice)
