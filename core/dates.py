"""Aware datetimes and the fiscal year and as-of date that pages and the API read from a query
string. Naive times are Tokyo time; nothing downstream ever sees a naive datetime. Both parsers
keep within the supported range (core.inputs): a page asked for ``?fy=0`` shows the current
year and says so, never an error page."""

import datetime as dt
from typing import Annotated

from django.contrib import messages
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from core.fiscal import TOKYO, fiscal_year_of, format_span, format_when, today
from core.inputs import MAX_DATE, MAX_FISCAL_YEAR, MIN_DATE, MIN_FISCAL_YEAR


def active_language() -> str:
    """ "ja" or "en": the language dates are written in for the active translation."""
    return "ja" if (translation.get_language() or "ja").startswith("ja") else "en"


def when(value: dt.date | dt.datetime, style: str = "long") -> str:
    """A date as people read it (和暦, core.fiscal.format_when) in the active language: what
    messages, emails and digests say. The long form in sentences; "short" only in dense tables."""
    return format_when(value, style, active_language())


def span(start: dt.datetime, end: dt.datetime | None, *, short: bool = False) -> str:
    """令和8年12月14日（月） 13:30～15:30 in the active language (core.fiscal.format_span)."""
    return format_span(start, end, active_language(), short=short)


def in_tokyo(value: dt.datetime) -> dt.datetime:
    return value.astimezone(TOKYO)


# A time the API answers in Tokyo time (+09:00), as people read it.
TokyoTime = Annotated[dt.datetime, AfterValidator(in_tokyo)]


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """The datetime with Tokyo as its zone when it has none (None stays None)."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=TOKYO)


def parse_fiscal_year(raw: str | int | None, *, default: int | None = None, request=None) -> int:
    """The fiscal year a query asks for (``?fy=2021``), else ``default``, else the current one.
    A value that is not a supported year (2000–2100) falls back the same way; with ``request``
    the page also says so in a message."""
    fallback = default if default is not None else fiscal_year_of(today())
    if raw in (None, ""):
        return fallback
    try:
        year = int(raw)
    except (TypeError, ValueError, OverflowError):
        year = None
    if (
        year is not None
        and not isinstance(raw, bool)
        and MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR
    ):
        return year
    if request is not None:
        messages.warning(
            request,
            _(
                "“%(raw)s” is not a fiscal year from %(min)s to %(max)s: showing fiscal year "
                "%(year)s."
            )
            % {
                "raw": str(raw)[:20],
                "min": MIN_FISCAL_YEAR,
                "max": MAX_FISCAL_YEAR,
                "year": fallback,
            },
        )
    return fallback


def parse_as_of(raw: str | dt.date | None, *, fiscal_year: int) -> dt.date:
    """The as-of date of a query (``?as_of=2021-09-30``), else today, never after the end of
    the fiscal year and always within the supported range."""
    if isinstance(raw, dt.date):
        chosen = raw
    else:
        try:
            chosen = dt.date.fromisoformat(raw or "")
        except ValueError:
            chosen = today()
    year = min(max(fiscal_year, MIN_FISCAL_YEAR), MAX_FISCAL_YEAR)
    return max(min(chosen, dt.date(year + 1, 3, 31), MAX_DATE), MIN_DATE)


def requested_fiscal_year(request) -> int:
    """The fiscal year a page's query asks for (``?fy=``), see ``parse_fiscal_year``."""
    return parse_fiscal_year(request.GET.get("fy"), request=request)


def requested_as_of(request, fiscal_year: int) -> dt.date:
    """The as-of date a page's query asks for (``?as_of=``), see ``parse_as_of``."""
    return parse_as_of(request.GET.get("as_of"), fiscal_year=fiscal_year)
