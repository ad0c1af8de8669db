"""The found records as tables for the staff page: a heading per kind, a column per field;
dates and times in 和暦 (the downloads keep ISO 8601)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.dates import when
from privacy.erase import label_of

FIELD_LABELS = {
    "id": "ID",
    "event__title": _("Event"),
    "online_import__event__title": _("Event"),
    "event__starts_at": _("Date"),
    "starts_at": _("Date"),
    "due_at": _("Due"),
    "name": _("Name"),
    "original_name": _("Name in the report"),
    "recipient_name": _("Name"),
    "kana": _("Kana"),
    "email": _("Email address"),
    "recipient": _("Email address"),
    "registrant_email": _("Email address"),
    "phone": _("Phone"),
    "organization": _("Organization"),
    "job_title": _("Job title"),
    "department": _("Department"),
    "affiliation_type": _("Affiliation"),
    "municipality__name": _("Municipality"),
    "district__name": _("District"),
    "organization__name": _("Partner organization"),
    "target_id": _("Visited (target)"),
    "status": _("Status"),
    "state": _("Status"),
    "kind": _("Kind"),
    "subject": _("Subject"),
    "created_at": _("Created"),
    "revoked_at": _("Revoked"),
    "changed_at": _("Changed"),
    "entry_id": _("Roster entry"),
    "old_status": _("Before"),
    "new_status": _("After"),
    "reason": _("Reason"),
    "minutes": _("Minutes"),
    "label": _("Label"),
    "certificate__fiscal_year": _("Certificate year"),
    "certificate__number": _("Certificate number"),
    "confidential_notes": _("Confidential notes"),
    "cancel_reason": _("Reason for cancelling"),
}


@dataclass
class Table:
    key: str
    label: str
    headings: list[str]
    rows: list[list]


ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?")


def shown(value):
    """A value as the page shows it: an ISO date or time (what find_records answers, for the
    downloads) in the short 和暦 of a dense table; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and ISO.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return when(moment.date(), "shortdate")
        return when(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC), "short")
    return value


def tables(records: dict[str, list[dict]]) -> list[Table]:
    result = []
    for key, rows in records.items():
        fields = list(rows[0])
        result.append(
            Table(
                key=key,
                label=label_of(key),
                headings=[str(FIELD_LABELS.get(name, name)) for name in fields],
                rows=[[shown(row[name]) for name in fields] for row in rows],
            )
        )
    return result
