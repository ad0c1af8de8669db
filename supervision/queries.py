"""Reporting reads shared by the API, the staff pages and the benchmark: progress per target
(「実施済／予定」), the case-meeting goal and the warnings shown when scheduling.

Everything is computed from rows with an as-of date; nothing is a stored counter."""

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import center
from core.dates import aware, when
from core.fiscal import (
    TOKYO,
    elapsed_fraction,
    fiscal_year_bounds,
    fiscal_year_start,
    holiday_name,
    is_year_end_break,
    local_date,
    quarter_start,
)
from directory.models import Block, Municipality
from supervision.models import (
    CaseMeeting,
    LecturerDispatch,
    MeetingCadence,
    Plan,
    Target,
    Visit,
)
from training.models import Event


@dataclass(slots=True)
class TargetProgress:
    plan_id: int
    target_id: int
    kind: str
    name: str
    order: tuple
    planned: int
    done: int
    scheduled: int
    overdue: int
    last_done_on: dt.date | None
    days_since_last_done: int | None
    expected_by_now: float
    at_risk: bool

    @property
    def percent_done(self) -> int:
        if not self.planned:
            return 100
        return min(100, round(100 * self.done / self.planned))


def is_at_risk(*, planned: int, done: int, scheduled: int, elapsed: float) -> bool:
    """At risk when the visits done and still scheduled cannot reach the plan, or when the
    visits done are behind the plan pro rata to the elapsed fiscal year by more than one."""
    return done + scheduled < planned or planned * elapsed - done > 1


def _day_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), TOKYO)


PLAN_COLUMNS = (
    "id",
    "planned",
    "target_id",
    "target__kind",
    "target__municipality__name",
    "target__municipality__order",
    "target__district__office_name",
    "target__district__order",
    "target__organization__name",
)
NO_VISITS = {"done": 0, "scheduled": 0, "overdue": 0, "last_done_at": None}


def progress(
    *,
    fiscal_year: int,
    as_of: dt.date,
    targets=None,
) -> list[TargetProgress]:
    """Progress of every target with a plan in the fiscal year, as of the end of ``as_of``,
    at-risk targets first. ``targets`` narrows it (a Target queryset: what the user may see,
    filters). Three queries (the plans with names, the visit counts per target, the last done
    visit of targets without one this year), whatever the number of targets and visits.

    - done: visits done on or before ``as_of`` in the fiscal year;
    - scheduled: visits in the fiscal year after ``as_of`` that are not cancelled;
    - overdue: visits on or before ``as_of`` still open (not recorded as done or cancelled);
    - last_done_on: the last done visit on or before ``as_of``, in any fiscal year.
    """
    plans = Plan.objects.filter(fiscal_year=fiscal_year)
    if targets is not None:
        plans = plans.filter(target__in=targets)
    # The plans with their targets' names; then the fiscal year's visits of those targets
    # counted per target (a plain GROUP BY over the visits, without carrying the names
    # through every visit row); then their last done visit outside the year: from earlier
    # years for targets without one this year, and after the year's end up to ``as_of`` (a
    # date after the end) for all (a correlated subquery would run once per target).
    plan_rows = list(plans.values(*PLAN_COLUMNS).order_by())
    counts = _visit_counts(plans, fiscal_year=fiscal_year, as_of=as_of)
    after_the_year = as_of >= fiscal_year_start(fiscal_year + 1)
    outside = _last_done_outside(
        [
            row["target_id"]
            for row in plan_rows
            if after_the_year
            or row["target_id"] not in counts
            or counts[row["target_id"]]["last_done_at"] is None
        ],
        fiscal_year=fiscal_year,
        as_of=as_of,
    )
    elapsed = elapsed_fraction(fiscal_year, as_of)
    result = [
        _target_progress(
            row,
            counts.get(row["target_id"], NO_VISITS),
            outside.get(row["target_id"]),
            as_of=as_of,
            elapsed=elapsed,
        )
        for row in plan_rows
    ]
    result.sort(key=lambda item: (not item.at_risk, item.order, item.target_id))
    return result


def _visit_counts(plans, *, fiscal_year: int, as_of: dt.date) -> dict[int, dict]:
    """Per target of ``plans``: its fiscal year's visits done, scheduled and overdue as of
    ``as_of``, and the start of the last one done."""
    start, end = fiscal_year_bounds(fiscal_year)
    cutoff = _day_after(as_of)
    done_by_as_of = Q(status=Visit.Status.DONE, starts_at__lt=cutoff)
    return {
        row["target_id"]: row
        for row in Visit.objects.filter(
            starts_at__gte=start, starts_at__lt=end, target_id__in=plans.values("target_id")
        )
        .values("target_id")
        .annotate(
            done=Count("id", filter=done_by_as_of),
            scheduled=Count(
                "id", filter=Q(starts_at__gte=cutoff) & ~Q(status=Visit.Status.CANCELLED)
            ),
            overdue=Count("id", filter=Q(status__in=Visit.OPEN, starts_at__lt=cutoff)),
            last_done_at=Max("starts_at", filter=done_by_as_of),
        )
        .order_by()
    }


def _last_done_outside(
    target_ids: list[int], *, fiscal_year: int, as_of: dt.date
) -> dict[int, dt.datetime]:
    """The start of each target's last done visit outside the fiscal year: before it, or
    after its end up to the end of ``as_of``."""
    start, end = fiscal_year_bounds(fiscal_year)
    return dict(
        Visit.objects.filter(
            Q(starts_at__lt=start) | Q(starts_at__gte=end, starts_at__lt=_day_after(as_of)),
            target_id__in=target_ids,
            status=Visit.Status.DONE,
        )
        .values("target_id")
        .annotate(last=Max("starts_at"))
        .values_list("target_id", "last")
        .order_by()
    )


KIND_ORDER = {kind: index for index, kind in enumerate(Target.Kind.values)}


def _name_and_order(row: dict) -> tuple[str, int]:
    kind = row["target__kind"]
    if kind == Target.Kind.MUNICIPALITY:
        return row["target__municipality__name"], row["target__municipality__order"]
    if kind == Target.Kind.DISTRICT:
        return f"{row['target__district__office_name']}管内", row["target__district__order"]
    return row["target__organization__name"], 0


def _target_progress(
    row: dict, count: dict, outside_done_at, *, as_of: dt.date, elapsed: float
) -> TargetProgress:
    name, order = _name_and_order(row)
    last_done_at = max((at for at in (count["last_done_at"], outside_done_at) if at), default=None)
    last_done_on = local_date(last_done_at) if last_done_at else None
    planned, done, scheduled = row["planned"], count["done"], count["scheduled"]
    return TargetProgress(
        plan_id=row["id"],
        target_id=row["target_id"],
        kind=row["target__kind"],
        name=name,
        order=(KIND_ORDER[row["target__kind"]], order, name),
        planned=planned,
        done=done,
        scheduled=scheduled,
        overdue=count["overdue"],
        last_done_on=last_done_on,
        days_since_last_done=(as_of - last_done_on).days if last_done_on else None,
        expected_by_now=math.floor(planned * elapsed * 10) / 10,
        at_risk=is_at_risk(planned=planned, done=done, scheduled=scheduled, elapsed=elapsed),
    )


@dataclass(frozen=True)
class CaseMeetingGoal:
    fiscal_year: int
    total: int
    held: list[Municipality]
    without: list[Municipality]

    @property
    def count(self) -> int:
        return len(self.held)


@dataclass(frozen=True)
class GoalTarget:
    """The prefecture's own case-meeting goal (the center's profile), if it has one: by which
    fiscal year which share of its municipalities, in its wording, and how far this year is."""

    fiscal_year: int
    share: int
    wording: str
    needed: int
    count: int

    @property
    def remaining(self) -> int:
        return max(0, self.needed - self.count)


def goal_target(goal: CaseMeetingGoal) -> GoalTarget | None:
    profile = center.current()
    if profile.goal_fiscal_year is None:
        return None
    return GoalTarget(
        fiscal_year=profile.goal_fiscal_year,
        share=profile.goal_share,
        wording=profile.goal_wording,
        needed=math.ceil(goal.total * profile.goal_share / 100),
        count=goal.count,
    )


def case_meeting_goal(*, fiscal_year: int, as_of: dt.date | None = None) -> CaseMeetingGoal:
    """Which municipalities held at least one case meeting in the fiscal year (by the end of
    ``as_of`` if given): a done visit of kind case meeting, or a case meeting recorded by staff
    without a visit. One query."""
    start, end = fiscal_year_bounds(fiscal_year)
    if as_of is not None:
        end = min(end, dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TOKYO))
    with_visit = Visit.objects.filter(starts_at__gte=start, starts_at__lt=end).filter(
        status=Visit.Status.DONE,
        kind=Visit.Kind.CASE_MEETING,
        target__municipality_id=OuterRef("pk"),
    )
    recorded = CaseMeeting.objects.filter(
        municipality_id=OuterRef("pk"),
        held_on__gte=start.date(),
        held_on__lt=end.date(),
    )
    municipalities = list(
        Municipality.objects.current()
        .annotate(held_with_visit=Exists(with_visit), held_without_visit=Exists(recorded))
        .order_by("order", "id")
    )
    return CaseMeetingGoal(
        fiscal_year=fiscal_year,
        total=len(municipalities),
        held=[m for m in municipalities if m.held_with_visit or m.held_without_visit],
        without=[m for m in municipalities if not (m.held_with_visit or m.held_without_visit)],
    )


@dataclass(frozen=True)
class SchedulingWarning:
    code: str
    message: str


def _day_warning(day: dt.date) -> SchedulingWarning | None:
    """A holiday, the year-end break or a weekend on ``day``."""
    if is_year_end_break(day):
        return SchedulingWarning(
            "year_end",
            _("%(date)s is in the year-end break (年末年始).") % {"date": when(day, "date")},
        )
    holiday = holiday_name(day)
    if holiday:
        return SchedulingWarning(
            "holiday",
            _("%(date)s is a national holiday: %(name)s.")
            % {"date": when(day, "date"), "name": holiday},
        )
    if day.weekday() >= 5:
        return SchedulingWarning(
            "weekend", _("%(date)s is a weekend day.") % {"date": when(day, "date")}
        )
    return None


@dataclass(frozen=True)
class _Bookings:
    """One kind of thing staff are booked for: its rows overlapping [start, end) with any of the
    staff (one row per booked person), and how a clash with one reads."""

    rows: Callable[[dt.datetime, dt.datetime, list[int]], QuerySet]
    message: str  # with %(person)s, %(time)s and the keys that ``details`` gives
    details: Callable[[Any], dict]


BOOKINGS = {
    "visit": _Bookings(
        rows=lambda start, end, staff_ids: (
            Visit.objects.open().between(start, end).filter(staff__id__in=staff_ids).with_target()
        ),
        message=gettext_lazy("%(person)s already has a visit to %(target)s at %(time)s."),
        details=lambda visit: {"target": visit.target.name},
    ),
    "dispatch": _Bookings(
        rows=lambda start, end, staff_ids: (
            LecturerDispatch.objects.exclude(status=LecturerDispatch.Status.CANCELLED)
            .between(start, end)
            .filter(staff__id__in=staff_ids)
        ),
        message=gettext_lazy("%(person)s is lecturing at %(host)s at %(time)s."),
        details=lambda dispatch: {"host": dispatch.host},
    ),
    "event": _Bookings(
        rows=lambda start, end, staff_ids: Event.objects.not_cancelled().filter(
            starts_at__lt=end, ends_at__gt=start, staff__id__in=staff_ids
        ),
        message=gettext_lazy("%(person)s is assigned to %(event)s at %(time)s."),
        details=lambda event: {"event": event.title},
    ),
}


def scheduling_warnings(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    staff_ids: list[int],
    exclude_visit_id: int | None = None,
    exclude_dispatch_id: int | None = None,
    exclude_event_id: int | None = None,
) -> list[SchedulingWarning]:
    """What to warn about when putting something on the calendar: a holiday or 年末年始, a
    weekend, and any assigned staff member already booked (another visit, a lecturer dispatch
    or an event they are assigned to, see ``BOOKINGS``) at an overlapping time. Warnings never
    block. ``exclude_*_id`` leaves out the item being scheduled itself."""
    starts_at = aware(starts_at)
    ends_at = aware(ends_at) if ends_at is not None else starts_at + Visit.DEFAULT_LENGTH
    warnings = [w for w in [_day_warning(local_date(starts_at))] if w is not None]
    if not staff_ids:
        return warnings
    excluded = {
        "visit": exclude_visit_id,
        "dispatch": exclude_dispatch_id,
        "event": exclude_event_id,
    }
    for name, bookings in BOOKINGS.items():
        rows = (
            bookings.rows(starts_at, ends_at, staff_ids)
            .exclude(pk=excluded[name])
            .annotate(
                staff_name_last=F("staff__last_name"), staff_name_first=F("staff__first_name")
            )
        )
        for row in rows:
            person = f"{row.staff_name_last} {row.staff_name_first}".strip()
            time = when(row.starts_at)
            text = str(bookings.message) % {"person": person, "time": time, **bookings.details(row)}
            warnings.append(SchedulingWarning("double_booked", text))
    return warnings


@dataclass(frozen=True)
class BlockCadence:
    block: Block
    expected: int
    held: list[Event]
    scheduled: list[Event]
    flagged: bool

    @property
    def held_count(self) -> int:
        return len(self.held)

    @property
    def scheduled_count(self) -> int:
        return len(self.scheduled)


def liaison_cadence(*, fiscal_year: int, as_of: dt.date) -> list[BlockCadence]:
    """Per block: the liaison meetings held by the end of ``as_of`` out of the expected number
    (default 2), the ones still scheduled shown apart, and a flag when, from the start of the
    third quarter, the block has no second meeting held or scheduled. Cancelled meetings do
    not count. Three queries."""
    cutoff = _day_after(as_of)
    expected = dict(
        MeetingCadence.objects.filter(fiscal_year=fiscal_year).values_list("block_id", "expected")
    )
    meetings = (
        Event.objects.liaison_meetings()
        .not_cancelled()
        .in_fiscal_year(fiscal_year)
        .select_related("co_host_district")
        .order_by("starts_at")
    )
    by_block: dict[int, list[Event]] = {}
    for meeting in meetings:
        by_block.setdefault(meeting.block_id, []).append(meeting)
    third_quarter = quarter_start(fiscal_year, 3)
    result = []
    for block in Block.objects.all():
        block_meetings = by_block.get(block.pk, [])
        held = [m for m in block_meetings if m.starts_at < cutoff]
        scheduled = [m for m in block_meetings if m.starts_at >= cutoff]
        wanted = expected.get(block.pk, MeetingCadence.DEFAULT_EXPECTED)
        result.append(
            BlockCadence(
                block=block,
                expected=wanted,
                held=held,
                scheduled=scheduled,
                flagged=as_of >= third_quarter and len(block_meetings) < min(wanted, 2),
            )
        )
    return result
