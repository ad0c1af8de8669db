"""Use cases that change supervision rows. Each is atomic, takes the acting user and ids
(keyword arguments only), finds the row among what the actor may see (``NotFound``, 404),
checks the permission (``Forbidden``, 403) and the facts: ValidationError (bad input, 422) or
Conflict (409, the visit's state forbids it). Pages and the API only call them
(``core.usecases``)."""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.dates import aware
from core.errors import Conflict
from core.inputs import MAX_SERIES_VISITS, shifted
from core.usecases import audited_as, load_visible, may, visible
from directory.models import User
from directory.permissions import is_center_staff
from supervision import reminders
from supervision.models import (
    Target,
    Visit,
    VisitPostponement,
)
from supervision.permissions import can_manage_visit, can_plan_visits, can_reopen_visit

DEFAULT_VISIT_LENGTH = Visit.DEFAULT_LENGTH
MAX_SERIES = MAX_SERIES_VISITS
REOPEN_FIELDS = ("status", "completed_at", "cancelled_at", "cancel_reason", "sequence")

# What the audit trail compares before and after a change of a visit.
VISIT_AUDIT_FIELDS = (
    "target",
    "kind",
    "status",
    "starts_at",
    "ends_at",
    "place",
    "staff",
    "public_summary",
    "confidential_notes",
    "sequence",
)


def _reopened_label(entry) -> str:
    """Undoing 実施済 or 中止 (``reopen_visit``) reads as what was undone."""
    status = (entry.changes.get("status") or [None])[0] if entry is not None else None
    if status == Visit.Status.CANCELLED:
        return _("Withdrew the cancellation")
    return _("Undid “done”")


audit.register_actions(
    {
        "supervision.plan.created": gettext_lazy("Set the planned number of visits"),
        "supervision.plan.changed": gettext_lazy("Changed the planned number of visits"),
        "supervision.visit.created": gettext_lazy("Scheduled the visit"),
        "supervision.visit.done": gettext_lazy("Recorded the visit as done"),
        "supervision.visit.cancelled": gettext_lazy("Cancelled the visit"),
        "supervision.visit.postponed": gettext_lazy("Postponed the visit"),
        "supervision.visit.changed": gettext_lazy("Changed the visit"),
        "supervision.visit.reopened": _reopened_label,
        "supervision.casemeeting.created": gettext_lazy("Recorded the case meeting"),
        "supervision.meetingcadence.changed": gettext_lazy(
            "Changed the expected number of liaison meetings"
        ),
        "supervision.lecturerdispatch.created": gettext_lazy("Recorded the lecturer dispatch"),
        "supervision.lecturerdispatch.changed": gettext_lazy("Changed the lecturer dispatch"),
        "supervision.lecturerdispatch.cancelled": gettext_lazy("Cancelled the lecturer dispatch"),
    }
)


def _record_visit(visit: Visit, action: str, *, by, before: dict, **data) -> None:
    changes = audit.diff(before, audit.snapshot(visit, VISIT_AUDIT_FIELDS))
    audit.record(visit, action, by=by, changes=changes, **data)


def checked_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> tuple:
    starts_at = aware(starts_at)
    ends_at = aware(ends_at) if ends_at else starts_at + DEFAULT_VISIT_LENGTH
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    return starts_at, ends_at


def staff_members(user_ids: Iterable[int]) -> list[User]:
    """The active users with these ids, each a center staff member (else a ValidationError:
    ``staff_ids`` for an unknown id, ``staff`` for someone else)."""
    user_ids = list(user_ids)
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("id"))
    if len(users) != len(set(user_ids)):
        raise ValidationError({"staff_ids": _("Unknown staff member.")})
    return only_center_staff(users)


def visible_target(actor, target_id: int) -> Target:
    """A target the actor may see, named by an id in the input (else 422 on ``target_id``)."""
    return load_visible(
        visible(Target.objects.with_names(), actor),
        target_id,
        field="target_id",
        message=_("Unknown target."),
    )


def only_center_staff(users: Iterable[User]) -> list[User]:
    users = list(users)
    if any(not is_center_staff(user) for user in users):
        raise ValidationError({"staff": _("Only center staff can be assigned to a visit.")})
    return users


@transaction.atomic
def schedule_visit(
    *,
    actor,
    target_id: int,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    place: str = "",
    staff_ids: Sequence[int] = (),
    public_summary: str = "",
    confidential_notes: str = "",
) -> Visit:
    """Put a visit on the schedule. Warnings (double booking, holidays) are for the caller
    to show: ``supervision.queries.scheduling_warnings``."""
    may(actor, can_plan_visits)
    return _schedule(
        target=visible_target(actor, target_id),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        staff=staff_members(staff_ids),
        public_summary=public_summary,
        confidential_notes=confidential_notes,
        by=audited_as(actor),
    )


def _schedule(
    *,
    target: Target,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    place: str,
    staff: Sequence[User],
    public_summary: str = "",
    confidential_notes: str = "",
    by: User | None,
) -> Visit:
    if kind not in Visit.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of visit.")})
    starts_at, ends_at = checked_times(starts_at, ends_at)
    staff = only_center_staff(staff)
    visit = Visit.objects.create(
        target=target,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        public_summary=public_summary.strip(),
        confidential_notes=confidential_notes.strip(),
        created_by=by,
    )
    visit.staff.set(staff)
    _record_visit(visit, "supervision.visit.created", by=by, before={})
    reminders.visit_changed(visit)
    return visit


@transaction.atomic
def plan_visit_series(
    *,
    actor,
    target_id: int,
    kind: str,
    starts_at: Sequence[dt.datetime],
    length: dt.timedelta = DEFAULT_VISIT_LENGTH,
    place: str = "",
    staff_ids: Sequence[int] = (),
) -> list[Visit]:
    """Schedule several visits at once (five review meetings over the year), each a visit of
    its own. All or nothing."""
    may(actor, can_plan_visits)
    target = visible_target(actor, target_id)
    staff = staff_members(staff_ids)
    if not starts_at:
        raise ValidationError({"starts_at": _("Give at least one date.")})
    if len(starts_at) > MAX_SERIES:
        raise ValidationError(
            {"starts_at": _("At most %(max)d visits at once.") % {"max": MAX_SERIES}}
        )
    if len({aware(value) for value in starts_at}) != len(starts_at):
        raise ValidationError({"starts_at": _("The same date and time is given twice.")})
    return [
        _schedule(
            target=target,
            kind=kind,
            starts_at=value,
            ends_at=aware(value) + length,
            place=place,
            staff=staff,
            by=audited_as(actor),
        )
        for value in sorted(aware(value) for value in starts_at)
    ]


def _visit_for(actor, visit_id: int, permission=can_manage_visit) -> Visit:
    """The visit, found among what the actor may see, allowed, and locked for the change."""
    visit = load_visible(visible(Visit.objects.all(), actor), visit_id)
    may(actor, permission, visit)
    return Visit.objects.select_for_update().get(pk=visit.pk)


@transaction.atomic
def complete_visit(
    *,
    actor,
    visit_id: int,
    public_summary: str = "",
    confidential_notes: str | None = None,
    now: dt.datetime | None = None,
) -> Visit:
    """Record that a scheduled (or postponed) visit took place."""
    visit = _visit_for(actor, visit_id)
    by = audited_as(actor)
    now = now or timezone.now()
    if visit.status == Visit.Status.DONE:
        raise Conflict(_("This visit is already recorded as done."), code="already_done")
    if visit.status == Visit.Status.CANCELLED:
        raise Conflict(_("A cancelled visit cannot be done."), code="cancelled")
    if visit.starts_at > now:
        # The request is well formed; the visit's state (not begun) forbids it: a 409.
        raise Conflict(_("A visit in the future cannot be recorded as done."), code="not_begun")
    before = audit.snapshot(visit, VISIT_AUDIT_FIELDS)
    visit.status = Visit.Status.DONE
    visit.completed_at = now
    if public_summary.strip():
        visit.public_summary = public_summary.strip()
    if confidential_notes is not None and confidential_notes.strip():
        visit.confidential_notes = confidential_notes.strip()
    visit.save()
    _record_visit(visit, "supervision.visit.done", by=by, before=before)
    return visit


@transaction.atomic
def cancel_visit(*, actor, visit_id: int, reason: str) -> Visit:
    """Cancel a visit that has not taken place; the reason is kept."""
    visit = _visit_for(actor, visit_id)
    by = audited_as(actor)
    if not visit.is_open:
        raise Conflict(_("Only a scheduled or postponed visit can be cancelled."), code="not_open")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    before = audit.snapshot(visit, VISIT_AUDIT_FIELDS)
    visit.status = Visit.Status.CANCELLED
    visit.cancel_reason = reason.strip()
    visit.cancelled_at = timezone.now()
    visit.sequence += 1
    visit.save()
    _record_visit(visit, "supervision.visit.cancelled", by=by, before=before, reason=reason.strip())
    reminders.visit_changed(visit)
    return visit


@transaction.atomic
def postpone_visit(
    *,
    actor,
    visit_id: int,
    new_starts_at: dt.datetime,
    new_ends_at: dt.datetime | None = None,
    reason: str = "",
) -> Visit:
    """Move a visit to a new date, possibly into the next fiscal year. The visit keeps its
    identity (and calendar UID), its status becomes ``postponed`` and the move is kept in its
    history; it counts in the fiscal year of its new date."""
    visit = _visit_for(actor, visit_id)
    by = audited_as(actor)
    if visit.status == Visit.Status.CANCELLED:
        raise Conflict(_("A cancelled visit cannot be postponed."), code="cancelled")
    if visit.status == Visit.Status.DONE:
        raise Conflict(_("A visit that took place cannot be postponed."), code="already_done")
    new_starts_at = aware(new_starts_at)
    if new_ends_at is None:
        try:
            new_ends_at = shifted(new_starts_at, visit.ends_at - visit.starts_at)
        except ValidationError as error:
            # The stored length (state) would end the visit outside the range: a 409; the
            # request may give ``new_ends_at``.
            raise Conflict(error.messages[0], code="ends_out_of_range") from None
    new_starts_at, new_ends_at = checked_times(new_starts_at, new_ends_at)
    if new_starts_at == visit.starts_at:
        # Well formed, but the visit already is at that moment (its state): a 409.
        raise Conflict(_("The new date is the same as the old one."), code="same_time")
    before = audit.snapshot(visit, VISIT_AUDIT_FIELDS)
    VisitPostponement.objects.create(
        visit=visit,
        old_starts_at=visit.starts_at,
        new_starts_at=new_starts_at,
        reason=reason.strip(),
        postponed_by=by,
    )
    visit.starts_at, visit.ends_at = new_starts_at, new_ends_at
    visit.status = Visit.Status.POSTPONED
    visit.sequence += 1
    visit.save()
    _record_visit(visit, "supervision.visit.postponed", by=by, before=before, reason=reason.strip())
    reminders.visit_changed(visit)
    return visit


@transaction.atomic
def revise_visit_details(
    *,
    actor,
    visit_id: int,
    place: str | None = None,
    staff_ids: Sequence[int] | None = None,
    public_summary: str | None = None,
    confidential_notes: str | None = None,
) -> Visit:
    """Change the place, the staff or the texts of a visit. A new place raises the calendar
    sequence."""
    visit = _visit_for(actor, visit_id)
    by = audited_as(actor)
    staff = None if staff_ids is None else staff_members(staff_ids)
    if visit.status == Visit.Status.CANCELLED:
        raise Conflict(_("A cancelled visit cannot be changed."), code="cancelled")
    before = audit.snapshot(visit, VISIT_AUDIT_FIELDS)
    moved = place is not None and place.strip() != visit.place
    if moved:
        visit.place = place.strip()
        visit.sequence += 1
    if public_summary is not None:
        visit.public_summary = public_summary.strip()
    if confidential_notes is not None:
        visit.confidential_notes = confidential_notes.strip()
    visit.save()
    if staff is not None:
        visit.staff.set(staff)
    changes = audit.diff(before, audit.snapshot(visit, VISIT_AUDIT_FIELDS))
    if changes:
        audit.record(visit, "supervision.visit.changed", by=by, changes=changes)
    if moved:
        reminders.visit_changed(visit)
    elif staff is not None:
        reminders.plan_visit(visit)
    return visit


@transaction.atomic
def reopen_visit(*, actor, visit_id: int, reason: str) -> Visit:
    """Undo 「実施済」 or 「中止」: a visit recorded as done or cancelled by mistake becomes open
    again (postponed if it was ever moved, else scheduled), so it no longer counts as done or
    cancelled and can be recorded, moved or cancelled. The reason is kept in the visit's
    history with the old and new values; the public summary and the notes stay (they are
    edited on their own). The calendar sequence rises so subscribed calendars take the change;
    a visit still ahead that was cancelled is announced to the target's contacts again, and
    the day-before reminders are planned again for the visit as it now is."""
    visit = _visit_for(actor, visit_id, can_reopen_visit)
    by = audited_as(actor)
    if visit.status not in (Visit.Status.DONE, Visit.Status.CANCELLED):
        raise Conflict(
            _("Only a visit recorded as done or cancelled can be reopened."), code="not_closed"
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the visit is reopened.")})
    was_cancelled = visit.status == Visit.Status.CANCELLED
    before = audit.snapshot(visit, REOPEN_FIELDS)
    visit.status = (
        Visit.Status.POSTPONED if visit.postponements.exists() else Visit.Status.SCHEDULED
    )
    visit.completed_at = None
    visit.cancelled_at = None
    visit.cancel_reason = ""
    visit.sequence += 1
    visit.save()
    audit.record(
        visit,
        "supervision.visit.reopened",
        by=by,
        changes=audit.diff(before, audit.snapshot(visit, REOPEN_FIELDS)),
        reason=reason.strip(),
    )
    if was_cancelled:
        reminders.visit_changed(visit)
    else:
        reminders.plan_visit(visit)
    return visit
