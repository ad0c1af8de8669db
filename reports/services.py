"""Writing the report's hand-entered figures (section １ 直接支援). Each change is audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.fiscal import fiscal_year_end, fiscal_year_of, fiscal_year_start, today
from reports.models import (
    ConsultationChannel,
    ConsultationCount,
    DirectSupportFigures,
    ReportSettings,
)
from reports.permissions import can_enter_direct_support

audit.register_actions(
    {
        "reports.direct_support.created": gettext_lazy("Entered the direct-support figures"),
        "reports.direct_support.changed": gettext_lazy("Changed the direct-support figures"),
        "reports.consultation_channel.added": gettext_lazy("Added the consultation channel"),
        "reports.reportsettings.changed": gettext_lazy(
            "Changed the report's date, period label or notes"
        ),
    }
)

FIGURE_FIELDS = [
    "ibasho_participants",
    "social_experience_people",
    "social_experience_workplaces",
    "social_experience_days",
]
MAX_FIGURE = 10_000_000


def _check_by(by) -> None:
    if by is not None and not can_enter_direct_support(by):
        raise PermissionDenied(_("Only center staff may enter the report's figures."))


def _number(value, field: str, errors: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = [_("Enter a whole number.")]
        return 0
    if value < 0:
        errors[field] = [_("Enter a number of 0 or more.")]
    elif value > MAX_FIGURE:
        errors[field] = [_("This value is too large.")]
    return value


def _state(figures: DirectSupportFigures) -> dict:
    state = audit.snapshot(figures, FIGURE_FIELDS) if figures.pk else {}
    if figures.pk:
        for row in figures.consultations.select_related("channel"):
            state[f"consultations:{row.channel.name}"] = row.count
    return state


@transaction.atomic
def record_direct_support(
    *,
    fiscal_year: int,
    period: str,
    consultations: dict[int, int],
    ibasho_participants: int,
    social_experience_people: int,
    social_experience_workplaces: int,
    social_experience_days: int,
    by,
) -> DirectSupportFigures:
    """Set the figures of section １ for ``fiscal_year`` and ``period``: consultations per
    channel id, 居場所づくり支援 participants, social-experience people, workplaces and days.
    Every number is a whole number of 0 or more; a bad one writes nothing (ValidationError).
    Audited as ``reports.direct_support.changed`` with old → new values."""
    _check_by(by)
    errors: dict[str, list[str]] = {}
    if not 2000 <= fiscal_year <= 2100:
        errors["fiscal_year"] = [_("Enter a fiscal year between 2000 and 2100.")]
    if period not in DirectSupportFigures.Period.values:
        errors["period"] = [_("Choose one of the allowed values.")]
    values = {
        "ibasho_participants": ibasho_participants,
        "social_experience_people": social_experience_people,
        "social_experience_workplaces": social_experience_workplaces,
        "social_experience_days": social_experience_days,
    }
    for field, value in values.items():
        _number(value, field, errors)
    channels = ConsultationChannel.objects.in_bulk(list(consultations))
    for channel_id, count in consultations.items():
        if channel_id not in channels:
            errors[f"channel_{channel_id}"] = [_("This consultation channel does not exist.")]
        else:
            _number(count, f"channel_{channel_id}", errors)
    if errors:
        raise ValidationError(errors)

    figures = (
        DirectSupportFigures.objects.select_for_update()
        .filter(fiscal_year=fiscal_year, period=period)
        .first()
    ) or DirectSupportFigures(fiscal_year=fiscal_year, period=period)
    created = figures.pk is None
    before = _state(figures)
    for field, value in values.items():
        setattr(figures, field, value)
    figures.updated_at = timezone.now()
    figures.updated_by = by if by is not None and by.pk else None
    figures.save()
    for channel_id, count in consultations.items():
        ConsultationCount.objects.update_or_create(
            figures=figures, channel_id=channel_id, defaults={"count": count}
        )
    changes = audit.diff(before, _state(figures))
    if changes or created:
        audit.record(
            figures,
            "reports.direct_support.created" if created else "reports.direct_support.changed",
            by=by,
            changes=changes,
        )
    return figures


@transaction.atomic
def add_consultation_channel(*, name: str, by) -> ConsultationChannel:
    """A new consultation channel (e.g. メール相談), listed after the others. Audited."""
    _check_by(by)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("This field is required.")]})
    if len(name) > 40:
        raise ValidationError({"name": [_("This value is too long.")]})
    if ConsultationChannel.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("This consultation channel already exists.")]})
    last = ConsultationChannel.objects.order_by("-order").values_list("order", flat=True).first()
    channel = ConsultationChannel.objects.create(name=name, order=(last or 0) + 1)
    audit.record(
        channel, "reports.consultation_channel.added", by=by, changes={"name": [None, name]}
    )
    return channel


def period_end(fiscal_year: int, period: str) -> dt.date:
    """The last day a period's figures cover."""
    if period == DirectSupportFigures.Period.FIRST_HALF:
        return dt.date(fiscal_year, 9, 30)
    return dt.date(fiscal_year + 1, 3, 31)


NOTE_SECTIONS = (
    "direct_support",
    "regional_support",
    "liaison",
    "partner_support",
    "training",
    "training_course",
    "awareness",
    "awareness_events",
    "issues",
)
"""Where notes go (``reports.sections``): the four sections, their subsections, and 課題・対策
(``issues``) after the report."""
MAX_NOTE = 2000
MAX_LABEL = 40
SETTINGS_FIELDS = ["as_of", "period_label", "notes", "survey_satisfaction"]


@transaction.atomic
def save_settings(
    *,
    fiscal_year: int,
    as_of: dt.date | None,
    period_label: str,
    notes: dict,
    by,
    survey_satisfaction: bool | None = None,
) -> ReportSettings:
    """Set the report's date, its period label and the notes per section (``NOTE_SECTIONS``)
    for ``fiscal_year``; the change is audited. The date must be within the fiscal year."""
    _check_by(by)
    errors = {}
    if not 2000 <= fiscal_year <= 2100:
        raise ValidationError({"fiscal_year": _("Enter a fiscal year between 2000 and 2100.")})
    if as_of is not None and fiscal_year_of(as_of) != fiscal_year:
        errors["as_of"] = [_("The report date must be within the fiscal year.")]
    period_label = (period_label or "").strip()
    if len(period_label) > MAX_LABEL:
        errors["period_label"] = [_("At most %(max)d characters.") % {"max": MAX_LABEL}]
    cleaned = {}
    for key, text in (notes or {}).items():
        if key not in NOTE_SECTIONS:
            errors[f"notes_{key}"] = [_("Unknown section.")]
        elif not isinstance(text, str):
            errors[f"notes_{key}"] = [_("Enter text.")]
        elif len(text.strip()) > MAX_NOTE:
            errors[f"notes_{key}"] = [_("At most %(max)d characters.") % {"max": MAX_NOTE}]
        elif text.strip():
            cleaned[key] = text.strip().replace("\r\n", "\n")
    if errors:
        raise ValidationError(errors)
    settings_row = ReportSettings.objects.select_for_update().filter(fiscal_year=fiscal_year)
    settings_row = settings_row.first() or ReportSettings(fiscal_year=fiscal_year)
    before = audit.snapshot(settings_row, SETTINGS_FIELDS) if settings_row.pk else {}
    settings_row.as_of, settings_row.period_label, settings_row.notes = as_of, period_label, cleaned
    if survey_satisfaction is not None:  # None: as it was
        settings_row.survey_satisfaction = survey_satisfaction
    changes = audit.diff(before, audit.snapshot(settings_row, SETTINGS_FIELDS))
    if changes:
        settings_row.save()
        audit.record(settings_row, "reports.reportsettings.changed", by=by, changes=changes)
    return settings_row


def settings_of(fiscal_year: int) -> ReportSettings:
    """The year's settings (an unsaved empty row when none were saved)."""
    return ReportSettings.objects.filter(fiscal_year=fiscal_year).first() or ReportSettings(
        fiscal_year=fiscal_year
    )


def default_as_of(fiscal_year: int) -> dt.date:
    """The report date when none is asked for: the one staff chose, else today, the last day
    of a past year or the first day of a future one."""
    chosen = settings_of(fiscal_year).as_of
    return chosen or max(min(today(), fiscal_year_end(fiscal_year)), fiscal_year_start(fiscal_year))
