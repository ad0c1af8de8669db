"""Use cases of the meetings and dispatches around visits: case meetings held without a
visit, the liaison-meeting cadence and liaison meetings (training events), lecturer
dispatches. Atomic, the acting user and ids, keyword arguments only; errors as in
``supervision.services``."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import Conflict
from core.fiscal import TOKYO
from core.usecases import audited_as, load_visible, may, visible
from directory.models import Block, District, Municipality, PartnerOrganization
from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    MeetingCadence,
)
from supervision.permissions import (
    can_manage_dispatches,
    can_plan_liaison_meetings,
    can_record_case_meeting,
)
from supervision.services.visits import checked_times, staff_members
from training import services as training_services
from training.models import Event


@transaction.atomic
def record_case_meeting(
    *, actor, municipality_id: int, held_on: dt.date, remarks: str = ""
) -> CaseMeeting:
    """Record a case meeting a municipality held without a visit of the center."""
    may(actor, can_record_case_meeting)
    municipality = _municipality(municipality_id)
    by = audited_as(actor)
    if held_on > timezone.localdate(timezone.now(), TOKYO):
        raise ValidationError({"held_on": _("A case meeting in the future cannot be recorded.")})
    meeting = CaseMeeting.objects.create(
        municipality=municipality, held_on=held_on, remarks=remarks.strip(), recorded_by=by
    )
    fields = ("municipality", "held_on", "remarks")
    changes = audit.diff({}, audit.snapshot(meeting, fields))
    audit.record(meeting, "supervision.casemeeting.created", by=by, changes=changes)
    return meeting


@transaction.atomic
def set_meeting_cadence(*, actor, block_id: int, fiscal_year: int, expected: int) -> MeetingCadence:
    """Set how many liaison meetings the block is expected to hold in the fiscal year."""
    may(actor, can_plan_liaison_meetings)
    block = _block(block_id)
    by = audited_as(actor)
    if expected is None or expected < 0:
        raise ValidationError({"expected": _("The expected number cannot be negative.")})
    if expected > 12:
        raise ValidationError({"expected": _("At most 12 meetings a year.")})
    cadence = (
        MeetingCadence.objects.select_for_update()
        .filter(block=block, fiscal_year=fiscal_year)
        .first()
    )
    old = cadence.expected if cadence else None
    cadence, _created = MeetingCadence.objects.update_or_create(
        block=block, fiscal_year=fiscal_year, defaults={"expected": expected}
    )
    if old != expected:
        changes = {"expected": [old, expected]}
        audit.record(cadence, "supervision.meetingcadence.changed", by=by, changes=changes)
    return cadence


@transaction.atomic
def plan_liaison_meeting(
    *,
    actor,
    block_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    venue: str,
    co_host_district_id: int | None = None,
    invited_organization_kinds: Sequence[str] = (),
    title: str = "",
    staff_ids: Sequence[int] = (),
) -> Event:
    """Plan a block liaison meeting (ひきこもり支援者連絡会議): a training Event of kind
    liaison meeting, created and published through training's own service (it is not on
    the public list; rosters come from attendance)."""
    may(actor, can_plan_liaison_meetings)
    block = _block(block_id)
    co_host_district = None
    if co_host_district_id is not None:
        co_host_district = load_visible(
            District.objects.all(),
            co_host_district_id,
            field="co_host_district_id",
            message=_("Unknown district."),
        )
    unknown = set(invited_organization_kinds) - set(PartnerOrganization.Kind.values)
    if unknown:
        raise ValidationError(
            {
                "invited_organization_kinds": _("Unknown kind of organization: %(kinds)s")
                % {"kinds": ", ".join(sorted(unknown))}
            }
        )
    if not venue.strip():
        raise ValidationError({"venue": _("Give the venue.")})
    starts_at, ends_at = checked_times(starts_at, ends_at)
    return training_services.create_event(
        by=audited_as(actor),
        publish=True,
        staff=staff_members(staff_ids),
        kind=Event.Kind.LIAISON_MEETING,
        title=title.strip() or _("%(block)s block liaison meeting") % {"block": block.name},
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        block=block,
        co_host_district=co_host_district,
        invited_organization_kinds=list(invited_organization_kinds),
    )


def _block(block_id: int) -> Block:
    return load_visible(
        Block.objects.all(), block_id, field="block_id", message=_("Unknown block.")
    )


def _municipality(municipality_id: int | None) -> Municipality | None:
    if municipality_id is None:
        return None
    return load_visible(
        Municipality.objects.all(),
        municipality_id,
        field="municipality_id",
        message=_("Unknown municipality."),
    )


DISPATCH_FIELDS = ("title", "host", "municipality", "starts_at", "ends_at", "place", "staff")


@transaction.atomic
def record_lecturer_dispatch(*, actor, **fields) -> LecturerDispatch:
    """Put a lecturer dispatch (center staff lecturing at someone else's event) on the
    calendar. ``fields``: those of ``_dispatch_values``."""
    may(actor, can_manage_dispatches)
    values, staff = _dispatch_values(**fields)
    dispatch = LecturerDispatch.objects.create(**values)
    dispatch.staff.set(staff)
    changes = audit.diff({}, audit.snapshot(dispatch, DISPATCH_FIELDS))
    audit.record(
        dispatch, "supervision.lecturerdispatch.created", by=audited_as(actor), changes=changes
    )
    return dispatch


def _dispatch_values(
    *,
    title: str,
    host: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    municipality_id: int | None = None,
    place: str = "",
    staff_ids: Sequence[int] = (),
) -> tuple[dict, list]:
    """What a dispatch is given (recorded or changed), checked: its column values and staff."""
    municipality = _municipality(municipality_id)
    staff = staff_members(staff_ids)
    if not title.strip():
        raise ValidationError({"title": _("Give a title.")})
    if not host.strip():
        raise ValidationError({"host": _("Give the host organization.")})
    starts_at, ends_at = checked_times(starts_at, ends_at)
    values = {
        "title": title.strip(),
        "host": host.strip(),
        "municipality": municipality,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place.strip(),
    }
    return values, staff


def _dispatch_for(actor, dispatch_id: int) -> LecturerDispatch:
    """The dispatch, found among what the actor may see, allowed, and locked for the change."""
    dispatch = load_visible(visible(LecturerDispatch.objects.all(), actor), dispatch_id)
    may(actor, can_manage_dispatches)
    return LecturerDispatch.objects.select_for_update().get(pk=dispatch.pk)


@transaction.atomic
def revise_lecturer_dispatch(*, actor, dispatch_id: int, **fields) -> LecturerDispatch:
    """Change a dispatch that is not cancelled: every field at once (as in
    ``record_lecturer_dispatch``), as the form shows them. A new time or place raises the
    calendar sequence."""
    dispatch = _dispatch_for(actor, dispatch_id)
    if dispatch.status == LecturerDispatch.Status.CANCELLED:
        raise Conflict(_("A cancelled dispatch cannot be changed."), code="cancelled")
    values, staff = _dispatch_values(**fields)
    before = audit.snapshot(dispatch, DISPATCH_FIELDS)
    if any(values[name] != getattr(dispatch, name) for name in ("starts_at", "ends_at", "place")):
        dispatch.sequence += 1
    for name, value in values.items():
        setattr(dispatch, name, value)
    dispatch.save()
    dispatch.staff.set(staff)
    changes = audit.diff(before, audit.snapshot(dispatch, DISPATCH_FIELDS))
    if changes:
        audit.record(
            dispatch, "supervision.lecturerdispatch.changed", by=audited_as(actor), changes=changes
        )
    return dispatch


@transaction.atomic
def cancel_lecturer_dispatch(*, actor, dispatch_id: int) -> LecturerDispatch:
    """Take a dispatch off the calendar (it stays, marked cancelled)."""
    dispatch = _dispatch_for(actor, dispatch_id)
    if dispatch.status == LecturerDispatch.Status.CANCELLED:
        raise Conflict(_("This dispatch is already cancelled."), code="cancelled")
    before = audit.snapshot(dispatch, ("status", "sequence"))
    dispatch.status = LecturerDispatch.Status.CANCELLED
    dispatch.cancelled_at = timezone.now()
    dispatch.sequence += 1
    dispatch.save()
    changes = audit.diff(before, audit.snapshot(dispatch, ("status", "sequence")))
    audit.record(
        dispatch, "supervision.lecturerdispatch.cancelled", by=audited_as(actor), changes=changes
    )
    return dispatch
