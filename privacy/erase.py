"""Erasing the personal fields of rows, kind by kind, in batches (as pretix's data shredders
do it per kind of data, but in place: the rows stay, so every count the reports make stays).

Each ``Kind`` names its model, which rows still hold personal data (``pending``), what the
personal fields become, and which fields its audit entries may carry. ``erase`` works through
the pending rows of a queryset in batches of ``BATCH`` ids, each batch in its own transaction:
the rows' fields, their audit entries' personal text (the object's name, the changed values of
personal fields) and the run's counts (``on_batch``) change together. A run that dies keeps
what its finished batches did; running again erases only what is still pending, so running
twice, or two runs at once, count each row once (the UPDATE re-checks ``pending``).

What stays: ids, event, municipality, affiliation kind, status, times, attendance minutes,
certificate numbers, message kinds and states: everything a report counts.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import ImportedAttendee, RosterChange, RosterEntry
from core.erased import ERASED, ERASED_DOMAIN
from core.models import AuditEntry
from directory.models import Contact
from feeds import links
from feeds.models import Subscription
from notifications.models import Dispatch
from supervision.models import Visit, VisitPostponement
from training.models import Registration

BATCH = 500


def _per_row(prefix: str, suffix: str = "") -> Concat:
    """A value unique per row (``prefix<id>suffix``), for columns a unique constraint covers."""
    parts = [Value(prefix), Cast("id", CharField())]
    if suffix:
        parts.append(Value(suffix))
    return Concat(*parts, output_field=CharField())


def _erased_address() -> Concat:
    return _per_row("erased-", ERASED_DOMAIN)


def _erased_if_set(name: str) -> Case:
    """Free text: ERASED where something was written, empty stays empty."""
    return Case(When(**{name: ""}, then=Value("")), default=Value(ERASED))


def _has_text(*names: str) -> Q:
    query = Q()
    for name in names:
        query |= ~Q(**{name: ""}) & ~Q(**{name: ERASED})
    return query


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    pending: Q
    values: Callable[[], dict]
    personal_fields: tuple[str, ...]
    scrub_repr: bool = True
    """The object's name in its audit entries is personal (a person's name)."""
    after: Callable[[list[int]], None] | None = None
    """Runs in the batch's transaction after the update (e.g. dropping cached links)."""


REGISTRATIONS = Kind(
    key="registrations",
    label=_("registrations"),
    model=Registration,
    pending=~Q(name=ERASED),
    values=lambda: {
        "name": ERASED,
        "kana": "",
        "email": "",
        "phone": "",
        "organization": "",
        "job_title": "",
        # The management and confirmation links and the check-in code stop working.
        "secret_nonce": "",
        "checkin_hash": "",
        "management_token_hash": _per_row("erased-"),
        "confirmation_token_hash": None,
        "confirmation_expires_at": None,
    },
    personal_fields=("name", "kana", "email", "phone", "organization", "job_title"),
)
ROSTER_ENTRIES = Kind(
    key="roster_entries",
    label=_("roster entries"),
    model=RosterEntry,
    pending=~Q(name=ERASED),
    values=lambda: {
        "name": ERASED,
        "kana": "",
        "email": "",
        "organization": "",
        "job_title": "",
        "person_key": _per_row("erased|"),  # unique per walk-in (roster_walk_in_once)
        "kana_key": "",
    },
    personal_fields=("name", "kana", "email", "organization", "job_title"),
)
IMPORTED_ATTENDEES = Kind(
    key="imported_attendees",
    label=_("rows of participant reports"),
    model=ImportedAttendee,
    pending=~Q(name=ERASED),
    values=lambda: {"name": ERASED, "original_name": "", "email": ""},
    personal_fields=("name", "original_name", "email"),
)
ROSTER_CHANGES = Kind(
    key="roster_changes",
    label=_("reasons of roster changes"),
    model=RosterChange,
    pending=_has_text("reason"),
    values=lambda: {"reason": ERASED},
    personal_fields=("reason",),
    scrub_repr=False,
)
DISPATCHES = Kind(
    key="dispatches",
    label=_("messages in the outbox"),
    model=Dispatch,
    pending=~Q(recipient__endswith=ERASED_DOMAIN),
    values=lambda: {
        "recipient": _erased_address(),
        "recipient_name": ERASED,
        "subject": "",
        "last_error": "",
    },
    personal_fields=("recipient", "recipient_name", "subject", "last_error"),
)
VISIT_NOTES = Kind(
    key="visit_notes",
    label=_("visits' confidential notes"),
    model=Visit,
    pending=_has_text("confidential_notes", "cancel_reason"),
    values=lambda: {
        "confidential_notes": _erased_if_set("confidential_notes"),
        "cancel_reason": _erased_if_set("cancel_reason"),
    },
    personal_fields=("confidential_notes", "cancel_reason"),
    scrub_repr=False,
)
POSTPONEMENT_REASONS = Kind(
    key="postponement_reasons",
    label=_("reasons of postponements"),
    model=VisitPostponement,
    pending=_has_text("reason"),
    values=lambda: {"reason": ERASED},
    personal_fields=("reason",),
    scrub_repr=False,
)
CONTACTS = Kind(
    key="contacts",
    label=_("contact persons"),
    model=Contact,
    pending=~Q(name=ERASED),
    values=lambda: {
        "name": ERASED,
        "email": "",
        "phone": "",
        "department": "",
        "receives_notifications": False,
    },
    personal_fields=("name", "email", "phone", "department"),
)


def _forget_links(ids: list[int]) -> None:
    """The links answer 404 at once in every process (feeds.links)."""
    for token_hash in Subscription.objects.filter(pk__in=ids).values_list("token_hash", flat=True):
        links.forget(token_hash)


REGISTRANT_LINKS = Kind(
    key="registrant_links",
    label=_("registrants' calendar links"),
    model=Subscription,
    pending=Q(kind=Subscription.Kind.REGISTRANT) & ~Q(registrant_email__endswith=ERASED_DOMAIN),
    values=lambda: {
        "registrant_email": _erased_address(),
        "label": ERASED,
        "revoked_at": Coalesce("revoked_at", Value(timezone.now(), models.DateTimeField())),
    },
    personal_fields=("registrant_email", "label"),
    after=_forget_links,
)

KINDS = (
    REGISTRATIONS,
    ROSTER_ENTRIES,
    IMPORTED_ATTENDEES,
    ROSTER_CHANGES,
    DISPATCHES,
    VISIT_NOTES,
    POSTPONEMENT_REASONS,
    CONTACTS,
    REGISTRANT_LINKS,
)


def label_of(key: str) -> str:
    return next((str(kind.label) for kind in KINDS if kind.key == key), key)


def _scrub_pair(pair):
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return ERASED
    return [ERASED if value not in (None, "") else value for value in pair]


def scrub_audit(kind: Kind, ids: list[int]) -> int:
    """Erase the personal text of the audit entries of these rows; the entries stay (who did
    what when). Answers the number of entries changed."""
    content_type = ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
    entries = list(
        AuditEntry.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids])
    )
    changed = []
    for entry in entries:
        changes = dict(entry.changes)
        for name in kind.personal_fields:
            if name in changes:
                changes[name] = _scrub_pair(changes[name])
        repr_ = ERASED if kind.scrub_repr else entry.object_repr
        if changes != entry.changes or repr_ != entry.object_repr:
            entry.changes, entry.object_repr = changes, repr_
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["changes", "object_repr"])
    return len(changed)


def pending_ids(kind: Kind, queryset) -> list[int]:
    return list(queryset.filter(kind.pending).order_by("pk").values_list("pk", flat=True))


def erase(kind: Kind, queryset, *, on_batch: Callable[[str, int], None]) -> Iterator[int]:
    """Erase the pending rows of ``queryset`` batch by batch; ``on_batch(kind.key, erased)``
    runs inside each batch's transaction. Yields the rows erased so far (for progress)."""
    ids = pending_ids(kind, queryset)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            erased = (
                kind.model._default_manager.filter(pk__in=chunk)
                .filter(kind.pending)
                .update(**kind.values())
            )
            if kind.after is not None:
                kind.after(chunk)
            scrub_audit(kind, chunk)
            on_batch(kind.key, erased)
        done += erased
        yield done
