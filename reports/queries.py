"""Reads the report pages share."""

from reports.models import DirectSupportFigures
from supervision.models import Plan
from training.models import Course


def fiscal_years_with_data() -> set[int]:
    """Fiscal years with a training course, a supervision plan or section １ figures (the year
    selector's choices). Three small queries."""
    years = set(Course.objects.values_list("fiscal_year", flat=True).distinct())
    years |= set(Plan.objects.values_list("fiscal_year", flat=True).distinct())
    years |= set(DirectSupportFigures.objects.values_list("fiscal_year", flat=True).distinct())
    return years
