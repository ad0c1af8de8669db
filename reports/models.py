"""The figures of the report that come from outside the system (section １ 直接支援): the
center counts its consultations, the 居場所 gatherings and the social-experience placements
elsewhere and enters the totals here, per fiscal year and period. Plain aggregate numbers,
never anything about a person. Every change goes through ``reports.services`` (audited)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationChannel(models.Model):
    """How a consultation reached the center (来所相談, 電話面接, ...); the center adds more."""

    name = models.CharField(_("channel"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("consultation channel")
        verbose_name_plural = _("consultation channels")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DirectSupportFigures(models.Model):
    """Section １ of the report for one fiscal year and period."""

    class Period(models.TextChoices):
        FIRST_HALF = "first_half", _("First half (April to end of September)")
        FULL_YEAR = "full_year", _("Full year")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    period = models.CharField(_("period"), max_length=12, choices=Period.choices)
    ibasho_participants = models.PositiveIntegerField(
        _("居場所づくり支援 participants (total attendances)"), default=0
    )
    social_experience_people = models.PositiveIntegerField(
        _("social experience: people"), default=0
    )
    social_experience_workplaces = models.PositiveIntegerField(
        _("social experience: workplaces"), default=0
    )
    social_experience_days = models.PositiveIntegerField(_("social experience: days"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("direct support figures")
        verbose_name_plural = _("direct support figures")
        ordering = ["fiscal_year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "period"], name="reports_figures_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(ibasho_participants__gte=0)
                & Q(social_experience_people__gte=0)
                & Q(social_experience_workplaces__gte=0)
                & Q(social_experience_days__gte=0),
                name="reports_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000) & Q(fiscal_year__lte=2100),
                name="reports_figures_fiscal_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.get_period_display()}"


class ConsultationCount(models.Model):
    """Consultations received through one channel in the figures' period."""

    figures = models.ForeignKey(
        DirectSupportFigures, on_delete=models.CASCADE, related_name="consultations"
    )
    channel = models.ForeignKey(ConsultationChannel, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("consultations"), default=0)

    class Meta:
        ordering = ["channel__order", "channel_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "channel"], name="reports_consultations_one_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0), name="reports_consultations_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.count}"


class ReportSettings(models.Model):
    """What center staff choose for one fiscal year's report: its date and the period label
    it prints (the seed, written in October about April–September and counting the festa of
    10/1, is the report of 2021-10-01 labelled R3.4～9月末), and per section or subsection the notes that
    only people can write (activities, participating bodies, remarks, 課題・対策). Changed
    through ``reports.services.save_settings`` (audited)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    as_of = models.DateField(_("report date"), null=True, blank=True)
    period_label = models.CharField(_("period label"), max_length=40, blank=True)
    notes = models.JSONField(_("notes per section"), default=dict, blank=True)
    survey_satisfaction = models.BooleanField(
        _("satisfaction from the questionnaires"), default=False
    )
    """Print under each training of section ３ the share satisfied in its questionnaire
    (surveys.results.satisfaction_lines)."""
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                name="report_settings_fiscal_year",
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
            )
        ]

    def __str__(self) -> str:
        return str(self.fiscal_year)
