"""Aware datetimes and the fiscal year and as-of date that pages and the API read from a query
string. Naive times are Tokyo time; nothing downstream ever sees a naive datetime."""

import datetime as dt

from django.utils import timezone

from core.fiscal import TOKYO, fiscal_year_of, today


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """The datetime with Tokyo as its zone when it has none (None stays None)."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=TOKYO)


def parse_fiscal_year(raw: str | int | None, *, default: int | None = None) -> int:
    """The fiscal year a query asks for (``?fy=2021``), else ``default``, else the current one.
    A value that is not a year falls back the same way."""
    fallback = default if default is not None else fiscal_year_of(today())
    try:
        return int(raw) if raw not in (None, "") else fallback
    except (TypeError, ValueError):
        return fallback


def parse_as_of(raw: str | dt.date | None, *, fiscal_year: int) -> dt.date:
    """The as-of date of a query (``?as_of=2021-09-30``), else today, never after the end of
    the fiscal year."""
    if isinstance(raw, dt.date):
        chosen = raw
    else:
        try:
            chosen = dt.date.fromisoformat(raw or "")
        except ValueError:
            chosen = today()
    return min(chosen, dt.date(fiscal_year + 1, 3, 31))
