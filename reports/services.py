"""Writing the report's hand-entered figures (section １ 直接支援). Each change is audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from reports.models import ConsultationChannel, ConsultationCount, DirectSupportFigures
from reports.permissions import can_enter_direct_support

audit.register_actions(
    {
        "reports.direct_support.created": gettext_lazy("Entered the direct-support figures"),
        "reports.direct_support.changed": gettext_lazy("Changed the direct-support figures"),
        "reports.consultation_channel.added": gettext_lazy("Added the consultation channel"),
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
