"""How long each kind of record keeps its personal fields (docs/retention.md), from settings
with defaults, and the moments they translate to.

- Registrations, rosters (with their imported participant reports and the reasons of changes
  after closing) and the certificates' names: until the end of the event's fiscal year plus
  ``RETENTION_PERSONAL_YEARS`` (5) years.
- Visits' confidential notes, cancellation and postponement reasons: until the end of the
  visit's fiscal year plus ``RETENTION_VISIT_NOTES_YEARS`` (5) years.
- The outbox's addresses, names and subjects of finished messages: ``RETENTION_OUTBOX_DAYS``
  (90) days after the message was due.
- Audit entries are kept; their personal text goes with the record they are about.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.fiscal import fiscal_year_bounds, fiscal_year_of


@dataclass(frozen=True)
class Cutoffs:
    """Records before these moments are past their period."""

    personal: dt.datetime
    """Events (registrations, rosters) starting before this."""
    visit_notes: dt.datetime
    """Visits starting before this."""
    outbox: dt.datetime
    """Finished messages due before this."""

    def as_dict(self) -> dict:
        return {name: value.isoformat() for name, value in self.__dict__.items()}


def personal_years() -> int:
    return settings.RETENTION_PERSONAL_YEARS


def visit_notes_years() -> int:
    return settings.RETENTION_VISIT_NOTES_YEARS


def outbox_days() -> int:
    return settings.RETENTION_OUTBOX_DAYS


def _start_of_fiscal_year(fiscal_year: int) -> dt.datetime:
    return fiscal_year_bounds(fiscal_year)[0]


def cutoffs(now: dt.datetime | None = None) -> Cutoffs:
    """The end of fiscal year F plus N years is the end of fiscal year F + N, so a record of
    fiscal year F is past its period from the start of fiscal year F + N + 1: records before
    the start of fiscal year (this one − N) are due."""
    now = now or timezone.now()
    this_year = fiscal_year_of(now)
    return Cutoffs(
        personal=_start_of_fiscal_year(this_year - personal_years()),
        visit_notes=_start_of_fiscal_year(this_year - visit_notes_years()),
        outbox=now - dt.timedelta(days=outbox_days()),
    )
