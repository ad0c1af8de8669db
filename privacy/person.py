"""A person's request about their data (開示・訂正・利用停止): center staff find every record
of an email address or a name, export them (JSON, CSV) and erase them now.

Where a person's data lives (every model with a name, an address or free text about people):
registrations, roster entries, rows of imported participant reports, reasons of roster
changes (of their entries), messages in the outbox, directory contacts, registrants'
calendar links, and visits whose confidential notes mention the name or the address. Staff
accounts and lecturers are not searched: accounts are the staff's own, and lecturers' names
are published in the report.

Matching: the address case-insensitively; the name without spaces (half- or full-width),
case-insensitively, after NFKC. Erasure goes through privacy.erase (the rows stay, so the
report's counts stay), cancels messages still due to them first, and is audited with counts
only: neither the address nor the name is written anywhere.
"""

import json
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import ImportedAttendee, RosterChange, RosterEntry
from core import audit
from core.inputs import check_text
from directory.models import Contact
from feeds.models import Subscription
from notifications.models import Dispatch
from privacy import erase
from privacy.models import Erasure
from supervision.models import Visit
from training.models import Registration

NAME_MAX = 100
EMAIL_MAX = 254

# What each kind exports: its fields as (export name, lookup).
EXPORT_FIELDS = {
    "registrations": [
        "id",
        "event__title",
        "event__starts_at",
        "name",
        "kana",
        "email",
        "phone",
        "organization",
        "job_title",
        "affiliation_type",
        "municipality__name",
        "status",
        "created_at",
    ],
    "roster_entries": [
        "id",
        "event__title",
        "event__starts_at",
        "name",
        "kana",
        "email",
        "organization",
        "job_title",
        "affiliation_type",
        "municipality__name",
        "status",
        "certificate__fiscal_year",
        "certificate__number",
    ],
    "imported_attendees": [
        "id",
        "online_import__event__title",
        "name",
        "original_name",
        "email",
        "minutes",
    ],
    "roster_changes": ["id", "entry_id", "old_status", "new_status", "reason", "changed_at"],
    "dispatches": ["id", "kind", "recipient", "recipient_name", "subject", "due_at", "state"],
    "contacts": [
        "id",
        "municipality__name",
        "district__name",
        "organization__name",
        "department",
        "name",
        "email",
        "phone",
    ],
    "registrant_links": ["id", "registrant_email", "label", "created_at", "revoked_at"],
    "visit_notes": ["id", "target_id", "starts_at", "confidential_notes", "cancel_reason"],
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str

    @property
    def name_key(self) -> str:
        return _name_key(self.name)


def _name_key(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).casefold()


def person(*, email: str | None, name: str | None) -> Person:
    """The checked request: an address, a name or both (ValidationError naming the field)."""
    email = (email or "").strip()
    name = (name or "").strip()
    errors = {}
    if email:
        try:
            check_text(email, max_length=EMAIL_MAX)
            validate_email(email)
        except ValidationError as error:
            errors["email"] = error.messages
    if name:
        try:
            check_text(name, max_length=NAME_MAX)
        except ValidationError as error:
            errors["name"] = error.messages
        else:
            if len(_name_key(name)) < 2:
                errors["name"] = [_("Enter at least two characters of the name.")]
    if not email and not name and not errors:
        errors["email"] = [_("Enter the email address or the name of the person.")]
    if errors:
        raise ValidationError(errors)
    return Person(email=email, name=name)


def _spaceless(field: str):
    return Replace(Replace(F(field), Value(" "), Value("")), Value("\u3000"), Value(""))


def _matching(queryset: QuerySet, who: Person, *, emails=(), names=()) -> QuerySet:
    query = Q(pk__in=[])
    annotations = {}
    if who.email:
        for field in emails:
            query |= Q(**{f"{field}__iexact": who.email})
    if who.name:
        for number, field in enumerate(names):
            annotations[f"_key{number}"] = _spaceless(field)
            query |= Q(**{f"_key{number}__iexact": who.name_key})
    if annotations:
        queryset = queryset.annotate(**annotations)
    return queryset.model._default_manager.filter(pk__in=queryset.filter(query).values("pk"))


def querysets(who: Person) -> list[tuple[erase.Kind, QuerySet]]:
    """Every record of the person, kind by kind (erased rows no longer match)."""
    entries = _matching(RosterEntry.objects.all(), who, emails=["email"], names=["name"])
    mention = Q(pk__in=[])
    for text in (who.email, who.name):
        if text:
            mention |= Q(confidential_notes__icontains=text) | Q(cancel_reason__icontains=text)
    return [
        (
            erase.REGISTRATIONS,
            _matching(Registration.objects.all(), who, emails=["email"], names=["name"]),
        ),
        (erase.ROSTER_ENTRIES, entries),
        (
            erase.IMPORTED_ATTENDEES,
            _matching(
                ImportedAttendee.objects.all(),
                who,
                emails=["email"],
                names=["name", "original_name"],
            ),
        ),
        (
            erase.ROSTER_CHANGES,
            RosterChange.objects.filter(entry__in=entries).exclude(reason=""),
        ),
        (
            erase.DISPATCHES,
            _matching(Dispatch.objects.all(), who, emails=["recipient"], names=["recipient_name"]),
        ),
        (erase.CONTACTS, _matching(Contact.objects.all(), who, emails=["email"], names=["name"])),
        (
            erase.REGISTRANT_LINKS,
            _matching(
                Subscription.objects.filter(kind=Subscription.Kind.REGISTRANT),
                who,
                emails=["registrant_email"],
            ),
        ),
        (erase.VISIT_NOTES, Visit.objects.filter(mention)),
    ]


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def find_records(*, email: str | None = None, name: str | None = None) -> dict[str, list[dict]]:
    """The person's records: ``{kind key: [{field: value}, ...]}`` (kinds with none left out),
    in the order of privacy.erase.KINDS."""
    who = person(email=email, name=name)
    found = {}
    for kind, queryset in querysets(who):
        rows = [
            {key: _plain(value) for key, value in row.items()}
            for row in queryset.order_by("pk").values(*EXPORT_FIELDS[kind.key])
        ]
        if rows:
            found[kind.key] = rows
    return found


def export_json(records: dict[str, list[dict]]) -> bytes:
    return json.dumps(
        {"exported_at": timezone.now().isoformat(), "records": records},
        ensure_ascii=False,
        indent=2,
    ).encode()


CSV_HEADINGS = ["種類", "ID", "項目", "値"]


def export_rows(records: dict[str, list[dict]]) -> list[list]:
    """One CSV row per field (kinds have different fields): kind, id, field, value."""
    return [
        [erase.label_of(key), row["id"], field, "" if value is None else value]
        for key, rows in records.items()
        for row in rows
        for field, value in row.items()
        if field != "id"
    ]


def erase_person(*, email: str | None = None, name: str | None = None, by) -> Erasure:
    """Erase every record of the person now; answers the run (counts per kind). Messages
    still due to them are cancelled first, so nothing more is sent."""
    who = person(email=email, name=name)
    # Ids first: once a roster entry is erased its name no longer finds its changes.
    found = [
        (
            kind,
            kind.model._default_manager.filter(pk__in=list(queryset.values_list("pk", flat=True))),
        )
        for kind, queryset in querysets(who)
    ]
    run = Erasure.objects.create(kind=Erasure.Kind.REQUEST, by=by)

    def counted(key: str, erased: int) -> None:
        run.counts[key] = run.counts.get(key, 0) + erased
        run.save(update_fields=["counts"])

    for kind, queryset in found:
        if kind is erase.DISPATCHES:
            queryset.filter(state=Dispatch.State.PENDING).update(
                state=Dispatch.State.CANCELLED, reason=Dispatch.Reason.WITHDRAWN
            )
        for _done in erase.erase(kind, queryset, on_batch=counted):
            pass
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit.record(run, "privacy.erasure.requested", by=by, changes={}, **run.counts)
    return run
