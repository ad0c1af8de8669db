"""Certificates of attendance (受講証明書), numbered per fiscal year."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import (
    Certificate,
    RosterEntry,
)
from attendance.services.rosters import refuse_cancelled
from core import audit
from core.errors import Conflict
from core.fiscal import fiscal_year_of

Status = RosterEntry.Status
Source = RosterEntry.Source


@transaction.atomic
def issue_certificate(*, entry: RosterEntry, user, now: dt.datetime | None = None) -> Certificate:
    """The entry's certificate of attendance, numbered next in the event's fiscal year; asking
    again gives the same certificate. Two issued at once never share a number: the unique
    (fiscal_year, number) row decides, and the loser takes the next number."""
    if not entry.attended:
        raise Conflict(_("A certificate is only for someone who attended."), code="not_attended")
    refuse_cancelled(entry.event)
    existing = Certificate.objects.filter(entry=entry).first()
    if existing:
        return existing
    fiscal_year = fiscal_year_of(entry.event.starts_at)
    for _attempt in range(100):  # each lost race means another certificate was issued
        last = Certificate.objects.filter(fiscal_year=fiscal_year).aggregate(Max("number"))
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    entry=entry,
                    fiscal_year=fiscal_year,
                    number=(last["number__max"] or 0) + 1,
                    issued_by=user,
                    issued_at=now or timezone.now(),
                )
            audit.record(
                entry,
                "attendance.rosterentry.certificate_issued",
                by=user if user is not None else audit.PUBLIC,
                detail=certificate.label,
            )
            return certificate
        except IntegrityError:
            existing = Certificate.objects.filter(entry=entry).first()
            if existing:
                return existing
    raise Conflict(_("Too many certificates at once; try again."), code="busy")
