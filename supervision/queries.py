"""Reporting reads shared by the API, the staff pages and the benchmark: progress per target
(「実施済／予定」), the case-meeting goal and the warnings shown when scheduling.

Everything is computed from rows with an as-of date; nothing is a stored counter."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fiscal import (
    TOKYO,
    elapsed_fraction,
    fiscal_year_bounds,
    holiday_name,
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
    start, end = fiscal_year_bounds(fiscal_year)
    cutoff = _day_after(as_of)
    elapsed = elapsed_fraction(fiscal_year, as_of)
    plans = Plan.objects.filter(fiscal_year=fiscal_year)
    if targets is not None:
        plans = plans.filter(target__in=targets)
    # The plans with their targets' names; then the fiscal year's visits of those targets
    # counted per target (a plain GROUP BY over the visits, without carrying the names
    # through every visit row); then, for targets without a done visit this year, their last
    # one from earlier years (a correlated subquery would run once per target).
    plan_rows = list(
        plans.values(
            "id",
            "planned",
            "target_id",
            "target__kind",
            "target__municipality__name",
            "target__municipality__order",
            "target__district__office_name",
            "target__district__order",
            "target__organization__name",
        ).order_by()
    )
    done_by_as_of = Q(status=Visit.Status.DONE, starts_at__lt=cutoff)
    counts = {
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
    none = {"done": 0, "scheduled": 0, "overdue": 0, "last_done_at": None}
    earlier = dict(
        Visit.objects.filter(
            target_id__in=[
                row["target_id"]
                for row in plan_rows
                if counts.get(row["target_id"], none)["last_done_at"] is None
            ],
            status=Visit.Status.DONE,
            starts_at__lt=start,
        )
        .values("target_id")
        .annotate(last=Max("starts_at"))
        .values_list("target_id", "last")
        .order_by()
    )
    kind_order = {kind: index for index, kind in enumerate(Target.Kind.values)}
    result = []
    for row in plan_rows:
        count = counts.get(row["target_id"], none)
        kind = row["target__kind"]
        if kind == Target.Kind.MUNICIPALITY:
            name, order = row["target__municipality__name"], row["target__municipality__order"]
        elif kind == Target.Kind.DISTRICT:
            name = f"{row['target__district__office_name']}管内"
            order = row["target__district__order"]
        else:
            name, order = row["target__organization__name"], 0
        last_done_at = count["last_done_at"] or earlier.get(row["target_id"])
        last_done_on = local_date(last_done_at) if last_done_at else None
        planned, done, scheduled = row["planned"], count["done"], count["scheduled"]
        result.append(
            TargetProgress(
                plan_id=row["id"],
                target_id=row["target_id"],
                kind=kind,
                name=name,
                order=(kind_order[kind], order, name),
                planned=planned,
                done=done,
                scheduled=scheduled,
                overdue=count["overdue"],
                last_done_on=last_done_on,
                days_since_last_done=(as_of - last_done_on).days if last_done_on else None,
                expected_by_now=math.floor(planned * elapsed * 10) / 10,
                at_risk=is_at_risk(
                    planned=planned, done=done, scheduled=scheduled, elapsed=elapsed
                ),
            )
        )
    result.sort(key=lambda item: (not item.at_risk, item.order))
    return result


@dataclass(frozen=True)
class CaseMeetingGoal:
    fiscal_year: int
    total: int
    held: list[Municipality]
    without: list[Municipality]

    @property
    def count(self) -> int:
        return len(self.held)


def case_meeting_goal(*, fiscal_year: int) -> CaseMeetingGoal:
    """Which municipalities held at least one case meeting in the fiscal year: a done visit
    of kind case meeting, or a case meeting recorded by staff without a visit. One query."""
    start, end = fiscal_year_bounds(fiscal_year)
    with_visit = Visit.objects.in_fiscal_year(fiscal_year).filter(
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
    or an event they are assigned to) at an overlapping time. Warnings never block."""
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=TOKYO)
    if ends_at is None:
        ends_at = starts_at + Visit.DEFAULT_LENGTH
    elif timezone.is_naive(ends_at):
        ends_at = ends_at.replace(tzinfo=TOKYO)
    warnings = []
    day = local_date(starts_at)
    holiday = holiday_name(day)
    if holiday == "年末年始":
        warnings.append(
            SchedulingWarning(
                "year_end", _("%(date)s is in the year-end break (年末年始).") % {"date": day}
            )
        )
    elif holiday:
        warnings.append(
            SchedulingWarning(
                "holiday",
                _("%(date)s is a national holiday: %(name)s.") % {"date": day, "name": holiday},
            )
        )
    elif day.weekday() >= 5:
        warnings.append(
            SchedulingWarning("weekend", _("%(date)s is a weekend day.") % {"date": day})
        )
    if staff_ids:
        visits = (
            Visit.objects.open()
            .between(starts_at, ends_at)
            .filter(staff__id__in=staff_ids)
            .exclude(pk=exclude_visit_id)
            .annotate(
                staff_name_last=F("staff__last_name"), staff_name_first=F("staff__first_name")
            )
            .select_related("target__municipality", "target__district", "target__organization")
        )
        for visit in visits:
            warnings.append(
                SchedulingWarning(
                    "double_booked",
                    _("%(person)s already has a visit to %(target)s at %(time)s.")
                    % {
                        "person": f"{visit.staff_name_last} {visit.staff_name_first}".strip(),
                        "target": visit.target.name,
                        "time": f"{visit.starts_at.astimezone(TOKYO):%Y-%m-%d %H:%M}",
                    },
                )
            )
        dispatches = (
            LecturerDispatch.objects.exclude(status=LecturerDispatch.Status.CANCELLED)
            .exclude(pk=exclude_dispatch_id)
            .between(starts_at, ends_at)
            .filter(staff__id__in=staff_ids)
            .annotate(
                staff_name_last=F("staff__last_name"), staff_name_first=F("staff__first_name")
            )
        )
        for dispatch in dispatches:
            warnings.append(
                SchedulingWarning(
                    "double_booked",
                    _("%(person)s is lecturing at %(host)s at %(time)s.")
                    % {
                        "person": f"{dispatch.staff_name_last} {dispatch.staff_name_first}".strip(),
                        "host": dispatch.host,
                        "time": f"{dispatch.starts_at.astimezone(TOKYO):%Y-%m-%d %H:%M}",
                    },
                )
            )
        events = (
            Event.objects.not_cancelled()
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at, staff__id__in=staff_ids)
            .exclude(pk=exclude_event_id)
            .annotate(
                staff_name_last=F("staff__last_name"), staff_name_first=F("staff__first_name")
            )
        )
        for event in events:
            warnings.append(
                SchedulingWarning(
                    "double_booked",
                    _("%(person)s is assigned to %(event)s at %(time)s.")
                    % {
                        "person": f"{event.staff_name_last} {event.staff_name_first}".strip(),
                        "event": event.title,
                        "time": f"{event.starts_at.astimezone(TOKYO):%Y-%m-%d %H:%M}",
                    },
                )
            )
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
