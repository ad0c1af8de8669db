"""Use cases of the meetings and dispatches around visits: case meetings held without a
visit, the liaison-meeting cadence and liaison meetings (training events), lecturer
dispatches. Atomic, keyword arguments only; errors as in ``supervision.services``."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.errors import Conflict
from core.fiscal import TOKYO
from core.inputs import MAX_LIAISON_MEETINGS
from directory.models import Block, District, Municipality, PartnerOrganization, User
from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    MeetingCadence,
)
from supervision.services.visits import checked_times, only_center_staff
from training import services as training_services
from training.models import Event


@transaction.atomic
def record_case_meeting(
    *, municipality: Municipality, held_on: dt.date, remarks: str = "", by: User | None
) -> CaseMeeting:
    """Record a case meeting a municipality held without a visit of the center."""
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
def set_meeting_cadence(
    *, block: Block, fiscal_year: int, expected: int, by: User | None
) -> MeetingCadence:
    """Set how many liaison meetings the block is expected to hold in the fiscal year."""
    if expected is None or expected < 0:
        raise ValidationError({"expected": _("The expected number cannot be negative.")})
    if expected > MAX_LIAISON_MEETINGS:
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
    block: Block,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    venue: str,
    co_host_district: District | None = None,
    invited_organization_kinds: Sequence[str] = (),
    title: str = "",
    staff: Sequence[User] = (),
    by: User | None,
) -> Event:
    """Plan a block liaison meeting (ひきこもり支援者連絡会議): a training Event of kind
    liaison meeting, created and published through training's own service (it is not on
    the public list; rosters come from attendance)."""
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
        by=by,
        publish=True,
        staff=only_center_staff(staff),
        kind=Event.Kind.LIAISON_MEETING,
        title=title.strip() or _("%(block)s block liaison meeting") % {"block": block.name},
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        block=block,
        co_host_district=co_host_district,
        invited_organization_kinds=list(invited_organization_kinds),
    )


@transaction.atomic
def record_lecturer_dispatch(
    *,
    title: str,
    host: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    municipality: Municipality | None = None,
    place: str = "",
    staff: Sequence[User] = (),
    by: User | None,
) -> LecturerDispatch:
    """Put a lecturer dispatch (center staff lecturing at someone else's event) on the
    calendar."""
    if not title.strip():
        raise ValidationError({"title": _("Give a title.")})
    if not host.strip():
        raise ValidationError({"host": _("Give the host organization.")})
    starts_at, ends_at = checked_times(starts_at, ends_at)
    dispatch = LecturerDispatch.objects.create(
        title=title.strip(),
        host=host.strip(),
        municipality=municipality,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
    )
    dispatch.staff.set(only_center_staff(staff))
    fields = ("title", "host", "municipality", "starts_at", "ends_at", "place", "staff")
    changes = audit.diff({}, audit.snapshot(dispatch, fields))
    audit.record(dispatch, "supervision.lecturerdispatch.created", by=by, changes=changes)
    return dispatch


@transaction.atomic
def cancel_lecturer_dispatch(*, dispatch: LecturerDispatch, by: User | None) -> LecturerDispatch:
    dispatch = LecturerDispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.status == LecturerDispatch.Status.CANCELLED:
        raise Conflict(_("This dispatch is already cancelled."), code="cancelled")
    before = audit.snapshot(dispatch, ("status", "sequence"))
    dispatch.status = LecturerDispatch.Status.CANCELLED
    dispatch.cancelled_at = timezone.now()
    dispatch.sequence += 1
    dispatch.save()
    changes = audit.diff(before, audit.snapshot(dispatch, ("status", "sequence")))
    audit.record(dispatch, "supervision.lecturerdispatch.cancelled", by=by, changes=changes)
    return dispatch
