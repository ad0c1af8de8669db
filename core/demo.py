"""Fiscal years whose data the demo invented. Pages that show such a year ask
``is_invented(fiscal_year)`` and then say so (「デモ用の架空データ」)."""

from core.models import InventedFiscalYear

NOTICE = "デモ用の架空データ"


def mark_invented(fiscal_year: int, *, note: str = "") -> None:
    """Record that the demo invented the year's data (idempotent)."""
    InventedFiscalYear.objects.get_or_create(fiscal_year=fiscal_year, defaults={"note": note})


def is_invented(fiscal_year: int | None) -> bool:
    if fiscal_year is None:
        return False
    return InventedFiscalYear.objects.filter(fiscal_year=fiscal_year).exists()
