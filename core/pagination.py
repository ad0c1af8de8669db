"""The one pagination of the API's list endpoints, and the filter they share.

Pagination: django-ninja's ``LimitOffsetPagination`` with the bounds of ``core.inputs``
(``limit`` 1 to ``MAX_PAGE_SIZE``, default ``PAGE_SIZE``; ``offset`` from 0). A ``limit`` or
``offset`` outside them is a 422 naming it with the same Japanese message as every other
bounded integer, never silently clamped. The answer is
django-ninja's ``{"items": [...], "count": N}``, ``count`` being the number of items matching
the filters over all pages. Small fixed lists (the blocks, the days of a calendar month, a
time slot's scheduling warnings, …) are not paginated; docs/api.md lists them.

    @router.get("/visits", response=list[VisitOut])
    @paginate(Pagination)
    def list_visits(request, filters: Query[VisitFilter]): ...

The view returns the whole queryset (ordered, so that pages do not overlap) or a list;
the page is sliced in the database, and ``count`` is one ``COUNT`` query (``len`` of a list).
"""

from typing import ClassVar

from django.db.models import Q
from ninja import Field, FilterSchema, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict, field_validator

from core.fiscal import fiscal_year_bounds
from core.inputs import INT32_MAX, MAX_PAGE_SIZE, PAGE_SIZE, FiscalYear, Integer


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: Integer(1, MAX_PAGE_SIZE) = Field(
            PAGE_SIZE, description=f"items per page, at most {MAX_PAGE_SIZE}"
        )
        offset: Integer(0, INT32_MAX) = Field(0, description="items to skip")

    def __init__(self, max_limit: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(max_limit=max_limit, **kwargs)


def _document_empty(schema: dict) -> None:
    """Each optional filter's schema also allows the empty string, which it reads as no
    filter: the OpenAPI document says what the server accepts (``?status=`` is not outside
    the enum)."""
    for prop in schema.get("properties", {}).values():
        options = prop.get("anyOf")
        if options is not None and {"type": "null"} in options:
            options.insert(len(options) - 1, {"type": "string", "maxLength": 0})


class QueryFilter(FilterSchema):
    """The base of the list endpoints' typed filters (django-ninja's ``FilterSchema``, read
    from the query string with ``Query(...)``): each field bounded by ``core.inputs``, so a
    bad value is a Japanese 422 naming it; an empty value (``?status=``, as a form sends an
    empty choice) is no filter, and the document says so."""

    model_config = ConfigDict(json_schema_extra=_document_empty)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value


class FiscalYearFilter(QueryFilter):
    """A filter with ``fiscal_year``: rows whose ``fiscal_year_field`` (a datetime column)
    falls in that fiscal year. Subclasses add their own fields."""

    fiscal_year_field: ClassVar[str] = "starts_at"

    fiscal_year: FiscalYear | None = Field(None, description="April to March, 2000-2100")

    def filter_fiscal_year(self, value: int | None) -> Q:
        if value is None:
            return Q()
        start, end = fiscal_year_bounds(value)
        field = self.fiscal_year_field
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})
