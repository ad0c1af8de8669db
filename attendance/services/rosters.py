"""Use cases that change rosters. Each is one transaction; a refused request changes nothing.

Errors: ``ValidationError({"field": message})`` for bad input (422), ``Conflict`` for a request
the event's state forbids (409): recording attendance of a cancelled event, importing into a
closed roster.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.models import (
    Roster,
    RosterChange,
    RosterEntry,
)
from core import audit, vocabulary
from core.errors import Conflict
from core.fiscal import local_date
from directory.models import Contact, Municipality, PartnerOrganization
from training.models import Audience, Event, Registration

Status = RosterEntry.Status
Source = RosterEntry.Source

# Which affiliation type an invited contact gets, by the kind of organization.
ORGANIZATION_AFFILIATION = {
    PartnerOrganization.Kind.COMMUNITY_CENTER: Audience.COMMUNITY_CENTER,
    PartnerOrganization.Kind.SOCIAL_WELFARE_COUNCIL: Audience.SOCIAL_WELFARE_COUNCIL,
    PartnerOrganization.Kind.MEDICAL: Audience.MEDICAL,
    PartnerOrganization.Kind.PEER_SUPPORT: Audience.PRIVATE_SUPPORT,
    PartnerOrganization.Kind.FAMILY_ASSOCIATION: Audience.PRIVATE_SUPPORT,
    PartnerOrganization.Kind.YOUTH_SUPPORT_STATION: Audience.PRIVATE_SUPPORT,
    PartnerOrganization.Kind.EMPLOYMENT_SUPPORT: Audience.PRIVATE_SUPPORT,
}

ENTRY_AUDIT_FIELDS = ("status", "attended_minutes")
WALK_IN_AUDIT_FIELDS = (
    "status",
    "name",
    "kana",
    "email",
    "affiliation_type",
    "organization",
    "municipality",
    "job_title",
)

audit.register_actions(
    {
        "attendance.rosterentry.created": gettext_lazy("Added as a walk-in"),
        "attendance.rosterentry.changed": gettext_lazy("Recorded the attendance"),
        "attendance.rosterentry.check_in_moved": gettext_lazy(
            "Kept the earlier check-in time of another device"
        ),
        "attendance.rosterentry.imported": gettext_lazy("Imported the attendance"),
        "attendance.rosterentry.certificate_issued": gettext_lazy("Issued the certificate"),
        "attendance.roster.built": gettext_lazy("Brought the roster up to date"),
        "attendance.roster.closed": gettext_lazy("Closed the roster"),
        "attendance.roster.reopened": gettext_lazy("Reopened the roster"),
        "attendance.roster.changed": gettext_lazy("Changed the roster"),
    }
)


def record_entry_change(entry: RosterEntry, action: str, *, by, before: dict, **data) -> None:
    changes = audit.diff(before, audit.snapshot(entry, ENTRY_AUDIT_FIELDS))
    if changes:
        audit.record(entry, action, by=by, changes=changes, **data)


def roster_of(event: Event) -> Roster:
    """The event's roster row, made on first use."""
    roster, _created = Roster.objects.get_or_create(event=event)
    return roster


def refuse_cancelled(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise Conflict(
            _("This event is cancelled: attendance cannot be recorded."), code="event_cancelled"
        )


def refuse_before_the_day(event: Event, status: str, now: dt.datetime | None) -> None:
    """Nobody attends an event before its day: present, late or left early are refused until
    the day it starts (earlier that day is fine: people arrive before the start, and staff enter
    an event held earlier that day or before). Absent and excused may be noted in advance."""
    if status not in RosterEntry.ATTENDED:
        return
    if local_date(event.starts_at) > local_date(now or timezone.now()):
        raise Conflict(
            _("This event has not taken place yet: attendance is recorded from its day."),
            code="event_not_started",
        )


def _valid_status(status: str) -> str:
    if status not in Status.values:
        raise ValidationError(
            {"status": _("“%(status)s” is not an attendance status.") % {"status": status}}
        )
    return status


def _reason_if_closed(roster: Roster, reason: str) -> str:
    reason = (reason or "").strip()
    if roster.is_closed and not reason:
        raise ValidationError(
            {"reason": _("The roster is closed: say why you change it.")}, code="reason_required"
        )
    return reason


# --- building the roster -------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    from_registrations: int
    from_invitations: int
    removed: int


@transaction.atomic
def build_roster(*, event: Event, user) -> BuildResult:
    """Bring the roster up to date: an entry for every confirmed registration, for liaison
    meetings one for every contact of the block's municipalities, of the co-hosting district and
    of partner organizations of the invited kinds in the block; entries of registrations since
    cancelled are removed while nobody has recorded anything for them. Safe to run again."""
    refuse_cancelled(event)
    roster = roster_of(event)
    new = [
        _entry_from_registration(event, registration)
        for registration in event.registrations.confirmed().filter(roster_entry__isnull=True)
    ]
    invited = _invitations(event) if event.kind == Event.Kind.LIAISON_MEETING else []
    for entry in new + invited:
        entry.fill_keys()
    RosterEntry.objects.bulk_create(new + invited)
    removed, _detail = (
        RosterEntry.objects.filter(event=event, source=Source.REGISTRATION, status=Status.EXPECTED)
        .exclude(registration__status=Registration.Status.CONFIRMED)
        .delete()
    )
    result = BuildResult(len(new), len(invited), removed)
    if new or invited or removed:
        audit.record(
            roster,
            "attendance.roster.built",
            by=user,
            detail=_("%(added)d added, %(removed)d removed")
            % {"added": len(new) + len(invited), "removed": removed},
        )
    return result


def roster_additions(event: Event) -> int:
    """How many people ``build_roster`` would add now (confirmed registrations not on the
    roster, and for a liaison meeting the invited contacts not on it yet). Reads only."""
    if event.status == Event.Status.CANCELLED:
        return 0
    registrations = event.registrations.confirmed().filter(roster_entry__isnull=True).count()
    invited = _invitations(event) if event.kind == Event.Kind.LIAISON_MEETING else []
    return registrations + len(invited)


def _entry_from_registration(event: Event, registration: Registration) -> RosterEntry:
    return RosterEntry(
        event=event,
        source=Source.REGISTRATION,
        registration=registration,
        name=registration.name,
        kana=registration.kana,
        email=registration.email,
        affiliation_type=registration.affiliation_type,
        organization=registration.organization,
        municipality_id=registration.municipality_id,
        job_title=registration.job_title,
    )


def _invitations(event: Event) -> list[RosterEntry]:
    if event.block_id is None:
        return []
    already = set(
        RosterEntry.objects.filter(event=event, contact__isnull=False).values_list(
            "contact_id", flat=True
        )
    )
    in_block = Municipality.objects.filter(block_id=event.block_id)
    contacts = (
        Contact.objects.filter(
            _invited_contacts(in_block, event.co_host_district_id, event.invited_organization_kinds)
        )
        .select_related("municipality", "district", "organization")
        .order_by("id")
    )
    entries = []
    for contact in contacts:
        if contact.id in already:
            continue
        if contact.municipality_id:
            affiliation, municipality = Audience.MUNICIPAL, contact.municipality_id
        elif contact.district_id:
            affiliation, municipality = "health_office", None
        else:
            organization = contact.organization
            affiliation = ORGANIZATION_AFFILIATION.get(organization.kind, Audience.OTHER)
            municipality = organization.municipality_id
        entries.append(
            RosterEntry(
                event=event,
                source=Source.INVITATION,
                contact=contact,
                name=contact.name,
                email=contact.email,
                affiliation_type=affiliation,
                organization=f"{contact.owner} {contact.department}".strip(),
                municipality_id=municipality,
            )
        )
    return entries


def _invited_contacts(in_block, co_host_district_id, organization_kinds) -> Q:
    condition = Q(municipality__in=in_block) | Q(
        organization__municipality__in=in_block, organization__kind__in=organization_kinds or []
    )
    if co_host_district_id:
        condition |= Q(district_id=co_host_district_id)
    return condition


# --- recording attendance -------------------------------------------------------------------


def apply_status(entry: RosterEntry, status: str, *, user, now, roster, reason) -> bool:
    """Set one entry's status; logs the change on a closed roster. False if nothing changed."""
    if entry.status == status:
        return False
    if roster.is_closed:
        RosterChange.objects.create(
            entry=entry,
            old_status=entry.status,
            new_status=status,
            reason=reason,
            changed_by=user,
            changed_at=now,
        )
    _stamp(entry, status, user=user, now=now)
    return True


def _stamp(entry: RosterEntry, status: str, *, user, now) -> None:
    entry.status = status
    if status in RosterEntry.ATTENDED:
        entry.checked_in_at = entry.checked_in_at or now
    else:
        entry.checked_in_at = None
    entry.recorded_by = user
    entry.recorded_at = now


@transaction.atomic
def record_attendance(
    *,
    entry: RosterEntry,
    status: str,
    user,
    reason: str = "",
    now: dt.datetime | None = None,
    device: str = "",
) -> RosterEntry:
    """Record one person's status (one tap at the door: present, or a scanned QR code from
    ``device``). On a closed roster a reason is required and the change is logged."""
    status = _valid_status(status)
    event = entry.event
    refuse_cancelled(event)
    refuse_before_the_day(event, status, now)
    roster = roster_of(event)
    reason = _reason_if_closed(roster, reason)
    now = now or timezone.now()
    before = audit.snapshot(entry, ENTRY_AUDIT_FIELDS)
    if apply_status(entry, status, user=user, now=now, roster=roster, reason=reason):
        entry.save(update_fields=["status", "checked_in_at", "recorded_by", "recorded_at"])
        record_entry_change(
            entry,
            "attendance.rosterentry.changed",
            by=user,
            before=before,
            reason=reason,
            device=device,
        )
    return entry


@transaction.atomic
def move_check_in_earlier(*, entry: RosterEntry, at: dt.datetime, user, device: str = "") -> bool:
    """A check-in recorded offline on another device earlier than the one kept: the earliest
    time wins. Audited; False (nothing written) when ``at`` is not earlier."""
    if not entry.attended or entry.checked_in_at is None or at >= entry.checked_in_at:
        return False
    before = {"checked_in_at": entry.checked_in_at}
    entry.checked_in_at = at
    entry.save(update_fields=["checked_in_at"])
    audit.record(
        entry,
        "attendance.rosterentry.check_in_moved",
        by=user,
        changes=audit.diff(before, {"checked_in_at": at}),
        device=device,
    )
    return True


@transaction.atomic
def record_attendance_in_bulk(
    *, event: Event, entry_ids: list[int], status: str, user, reason: str = "", now=None
) -> int:
    """Mark many people of one event at once (entry from a paper sign-in sheet). Every id must
    be of this event, or nothing is changed. Returns how many entries changed."""
    status = _valid_status(status)
    refuse_cancelled(event)
    refuse_before_the_day(event, status, now)
    roster = roster_of(event)
    reason = _reason_if_closed(roster, reason)
    ids = set(entry_ids)
    if not ids:
        raise ValidationError({"entry_ids": _("Choose at least one person.")})
    entries = list(RosterEntry.objects.filter(event=event, id__in=ids))
    if len(entries) != len(ids):
        raise ValidationError({"entry_ids": _("Some of the people are not on this roster.")})
    now = now or timezone.now()
    before = {e.pk: audit.snapshot(e, ENTRY_AUDIT_FIELDS) for e in entries}
    changed = [
        e
        for e in entries
        if apply_status(e, status, user=user, now=now, roster=roster, reason=reason)
    ]
    RosterEntry.objects.bulk_update(
        changed, ["status", "checked_in_at", "recorded_by", "recorded_at"]
    )
    for entry in changed:
        record_entry_change(
            entry, "attendance.rosterentry.changed", by=user, before=before[entry.pk], reason=reason
        )
    return len(changed)


@transaction.atomic
def add_walk_in(
    *,
    event: Event,
    user,
    name: str,
    kana: str = "",
    affiliation_type: str,
    organization: str = "",
    municipality: Municipality | None = None,
    job_title: str = "",
    email: str = "",
    status: str = Status.PRESENT,
    reason: str = "",
    now: dt.datetime | None = None,
) -> RosterEntry:
    """Add someone who came without registering. The same name and organization twice on one
    roster is refused as a duplicate."""
    status = _valid_status(status)
    refuse_cancelled(event)
    refuse_before_the_day(event, status, now)
    roster = roster_of(event)
    reason = _reason_if_closed(roster, reason)
    name = name.strip()
    errors = {}
    if not name:
        errors["name"] = _("Enter the name.")
    if affiliation_type != "health_office" and not vocabulary.is_affiliation_kind(affiliation_type):
        errors["affiliation_type"] = _("Choose an affiliation type.")
    if errors:
        raise ValidationError(errors)
    key = RosterEntry.key_for(name, organization)
    if RosterEntry.objects.filter(event=event, person_key=key).exists():
        raise ValidationError({"name": _duplicate_message(name)}, code="duplicate")
    now = now or timezone.now()
    entry = RosterEntry(
        event=event,
        source=Source.WALK_IN,
        name=name,
        kana=kana.strip(),
        email=email.strip().lower(),
        affiliation_type=affiliation_type,
        organization=organization.strip(),
        municipality=municipality,
        job_title=job_title.strip(),
    )
    _stamp(entry, status, user=user, now=now)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError({"name": _duplicate_message(name)}, code="duplicate") from None
    audit.record(
        entry,
        "attendance.rosterentry.created",
        by=user,
        changes=audit.diff({}, audit.snapshot(entry, WALK_IN_AUDIT_FIELDS)),
        reason=reason,
    )
    if roster.is_closed:
        RosterChange.objects.create(
            entry=entry, new_status=status, reason=reason, changed_by=user, changed_at=now
        )
    return entry


def _duplicate_message(name: str) -> str:
    return _("%(name)s of the same organization is already on this roster.") % {"name": name}


@transaction.atomic
def close_roster(*, event: Event, user, now: dt.datetime | None = None) -> Roster:
    """Close the roster: later changes need a reason and are logged."""
    roster = roster_of(event)
    if not roster.is_closed:
        roster.closed_at = now or timezone.now()
        roster.closed_by = user
        roster.save(update_fields=["closed_at", "closed_by"])
        audit.record(roster, "attendance.roster.closed", by=user)
    return roster


@transaction.atomic
def reopen_roster(*, event: Event, user) -> Roster:
    """Open a closed roster again (to import a late report, for instance)."""
    roster = roster_of(event)
    if roster.is_closed:
        roster.closed_at = None
        roster.closed_by = None
        roster.save(update_fields=["closed_at", "closed_by"])
        audit.record(roster, "attendance.roster.reopened", by=user)
    return roster


@transaction.atomic
def set_minimum_minutes(*, event: Event, minutes: int | None, user) -> Roster:
    """Set the minimum attended minutes for online imports (None: 60% of the event)."""
    if minutes is not None and not (0 < minutes <= 24 * 60):
        raise ValidationError({"minimum_minutes": _("Enter minutes between 1 and 1440.")})
    roster = roster_of(event)
    old = roster.minimum_minutes
    roster.minimum_minutes = minutes
    roster.save(update_fields=["minimum_minutes"])
    if old != minutes:
        changes = {"minimum_minutes": [old, minutes]}
        audit.record(roster, "attendance.roster.changed", by=user, changes=changes)
    return roster
