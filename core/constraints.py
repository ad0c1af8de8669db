"""Database check constraints for the input limits of core.inputs: the last line, so that no
path (API, form, admin, import, command, a raw ``update()``) can store a row the application
cannot read back (a year-1 timestamp becomes BC on PostgreSQL) or longer than its column
(SQLite does not enforce VARCHAR lengths)."""

from django.db.models import CheckConstraint, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.inputs import (
    MAX_DATE,
    MAX_DATETIME,
    MAX_FISCAL_YEAR,
    MIN_DATE,
    MIN_DATETIME,
    MIN_FISCAL_YEAR,
)

OUTSIDE = _("This value is outside the range Sasaeru supports.")


def datetime_in_range(prefix: str, field: str, *, null: bool = False) -> CheckConstraint:
    inside = Q(**{f"{field}__gte": MIN_DATETIME, f"{field}__lt": MAX_DATETIME})
    return CheckConstraint(
        name=f"{prefix}_{field}_in_range",
        condition=(Q(**{f"{field}__isnull": True}) | inside) if null else inside,
        violation_error_message=OUTSIDE,
    )


def date_in_range(prefix: str, field: str) -> CheckConstraint:
    return CheckConstraint(
        name=f"{prefix}_{field}_in_range",
        condition=Q(**{f"{field}__gte": MIN_DATE, f"{field}__lte": MAX_DATE}),
        violation_error_message=OUTSIDE,
    )


def fiscal_year_in_range(prefix: str, field: str = "fiscal_year") -> CheckConstraint:
    return CheckConstraint(
        name=f"{prefix}_{field}_in_range",
        condition=Q(**{f"{field}__gte": MIN_FISCAL_YEAR, f"{field}__lte": MAX_FISCAL_YEAR}),
        violation_error_message=OUTSIDE,
    )


def length_at_most(prefix: str, field: str, length: int) -> CheckConstraint:
    return CheckConstraint(
        name=f"{prefix}_{field}_length",
        condition=LessThanOrEqual(Length(field), length),
        violation_error_message=OUTSIDE,
    )
