"""The supervision list endpoints' typed filters (django-ninja ``FilterSchema``, read from
the query string with ``Query(...)``): each field is bounded by ``core.inputs``, so a bad
value is a Japanese 422 naming it."""

from django.db.models import Q

from core.fiscal import fiscal_year_start
from core.inputs import Choice, FiscalYear, Id
from core.pagination import FiscalYearFilter, QueryFilter
from supervision.models import Target, Visit, in_block_q, in_district_q


class TargetFilter(QueryFilter):
    """``/targets`` and ``/progress``: the targets of a block or a district, of a kind."""

    kind: Choice(Target.Kind) | None = None
    block_id: Id | None = None
    district_id: Id | None = None

    def filter_block_id(self, value: int | None) -> Q:
        return Q() if value is None else in_block_q(value)

    def filter_district_id(self, value: int | None) -> Q:
        return Q() if value is None else in_district_q(value)


class VisitFilter(FiscalYearFilter):
    target_id: Id | None = None
    status: Choice(Visit.Status) | None = None
    staff_id: Id | None = None

    def filter_staff_id(self, value: int | None) -> Q:
        return Q() if value is None else Q(staff__id=value)


class PlanFilter(QueryFilter):
    fiscal_year: FiscalYear


class CaseMeetingFilter(FiscalYearFilter):
    """By the fiscal year of the day the meeting was held (a date)."""

    def filter_fiscal_year(self, value: int | None) -> Q:
        if value is None:
            return Q()
        return Q(held_on__gte=fiscal_year_start(value), held_on__lt=fiscal_year_start(value + 1))


class DispatchFilter(FiscalYearFilter):
    """Lecturer dispatches by the fiscal year of their start."""
