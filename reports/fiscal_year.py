"""The fiscal-year report the prefecture writes (「令和３年度の取組状況」), built from the data.

Every figure is computed from rows: participants from attendance rosters, 「実施済／予定」 from
the supervision plans and visits as of the report date, the liaison meetings from their events.
The text form follows the seed document line by line, so that the office can paste it into its
report: full-width brackets and numbers where the prefecture writes them, 和暦 dates (R3.6.10).

Where the seed is silent:

- The report date (``as_of``) closes everything counted: visits, lecturer dispatches and
  events (an event that starts after it is 「開催予定」 with nobody counted; one held by then
  without attended roster rows is 「参加者未記録」). Staff choose the report's date and the
  period label it prints (``ReportSettings``): the seed, written in October about April to
  September, counts つながるfesta of 10/1, so its settings are the date 2021-10-01 and the
  label R3.4～9月末. Every section then states that label.
- A lecturer dispatch counts as done when it took place by the report date and was not
  cancelled (nobody has to mark it done).
- Targets are listed largest plan first, then most visits done, then in the directory's order
  (the seed's order: いの町 2/5, 須崎市 1/5, 中土佐町 1/2, ...).
- Partner organizations are reported apart from municipalities and health-office districts, as
  the seed does (イ 若者サポートステーションとの定期的な検討会).
- Section １ (直接支援) holds figures that come from outside the system, entered by center staff
  per period (``reports.models``): the report shows the latest period that has ended by the
  report date (通年 from 31 March, 上半期 from 30 September), with that period in its heading.

The four sections, their order and numbering are the seed's: １ 直接支援, ２ 地域支援,
３ 人材養成（研修等）, ４ 普及啓発（その他）. ``reports.sections`` builds them once as lines of
text and figures (each figure knows the list it was counted from); the page, the text, the XLSX
and the PDF all render those lines.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Prefetch

from attendance.queries import events_with_attended
from core.demo import is_invented
from core.fiscal import (
    TOKYO,
    fiscal_year_bounds,
    fiscal_year_label,
    local_date,
    wareki_short,
)
from reports.models import DirectSupportFigures, ReportSettings
from reports.services import period_end
from supervision.models import LecturerDispatch, Target
from supervision.queries import TargetProgress, case_meeting_goal, liaison_cadence, progress
from surveys.results import satisfaction_lines
from training.models import Event, EventPart, EventPartLecturer

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
KIND_LABELS = {
    Event.Kind.LECTURE: "講義",
    Event.Kind.DIALOGUE: "対談",
    Event.Kind.ONLINE_LECTURE: "オンライン講義",
    Event.Kind.CASE_STUDY: "",
    Event.Kind.AWARENESS: "",
}
PART_LABELS = {EventPart.Kind.LECTURE: "講義", EventPart.Kind.DIALOGUE: "対談"}
ROLE_LABELS = {EventPartLecturer.Role.LECTURER: "講師", EventPartLecturer.Role.DIALOGIST: "対談者"}
TRAINING_KINDS = [
    Event.Kind.LECTURE,
    Event.Kind.DIALOGUE,
    Event.Kind.ONLINE_LECTURE,
    Event.Kind.CASE_STUDY,
]


def full_width(number: int) -> str:
    return str(number).translate(FULL_WIDTH)


@dataclass(frozen=True)
class EventLine:
    event: Event
    attended: int
    state: str
    """"held" (participants recorded), "planned" (after the report date), "unrecorded"."""
    satisfaction: str = ""
    """「満足度：満足・やや満足 92％（回答 80名／参加 89名）」 when the year's settings ask for it."""

    @property
    def date_label(self) -> str:
        return wareki_short(self.event.starts_at)


@dataclass(frozen=True)
class MeetingLine:
    event: Event
    attended: int


@dataclass(frozen=True)
class DirectSupport:
    """Section １: the hand-entered figures of one period."""

    figures_id: int
    fiscal_year: int
    period: str
    consultations: list[tuple[str, int]]
    ibasho_participants: int
    social_experience_people: int
    social_experience_workplaces: int
    social_experience_days: int

    @property
    def consultations_total(self) -> int:
        return sum(count for _, count in self.consultations)

    @property
    def period_label(self) -> str:
        """R3.4～9月末 for the first half, R3.4～R4.3月末 for the full year."""
        start = wareki_short(dt.date(self.fiscal_year, 4, 1)).rsplit(".", 1)[0]
        if self.period == DirectSupportFigures.Period.FIRST_HALF:
            return f"{start}～9月末"
        end = wareki_short(dt.date(self.fiscal_year + 1, 3, 1)).rsplit(".", 1)[0]
        return f"{start}～{end}月末"


def direct_support(*, fiscal_year: int, as_of: dt.date) -> DirectSupport | None:
    """The figures of the latest period that has ended by ``as_of`` (通年, else 上半期), or None
    when none was entered. Two queries."""
    periods = [
        period
        for period in (
            DirectSupportFigures.Period.FULL_YEAR,
            DirectSupportFigures.Period.FIRST_HALF,
        )
        if period_end(fiscal_year, period) <= as_of
    ]
    found = {
        figures.period: figures
        for figures in DirectSupportFigures.objects.filter(
            fiscal_year=fiscal_year, period__in=periods
        ).prefetch_related("consultations__channel")
    }
    figures = next((found[period] for period in periods if period in found), None)
    if figures is None:
        return None
    rows = sorted(figures.consultations.all(), key=lambda row: (row.channel.order, row.channel_id))
    return DirectSupport(
        figures_id=figures.pk,
        fiscal_year=fiscal_year,
        period=figures.period,
        consultations=[(row.channel.name, row.count) for row in rows],
        ibasho_participants=figures.ibasho_participants,
        social_experience_people=figures.social_experience_people,
        social_experience_workplaces=figures.social_experience_workplaces,
        social_experience_days=figures.social_experience_days,
    )


@dataclass(frozen=True)
class FiscalYearReport:
    fiscal_year: int
    as_of: dt.date
    trainings: list[EventLine]
    awareness: list[EventLine]
    meetings: list[MeetingLine]
    meetings_expected: int
    public_targets: list[TargetProgress]
    partner_targets: list[TargetProgress]
    dispatches_done: int
    case_meetings_held: int
    municipalities: int
    direct_support: DirectSupport | None = None
    invented: bool = False
    """The demo invented this year's data (「デモ用の架空データ」)."""
    chosen_label: str = ""
    """The period label staff chose for this report date (``ReportSettings``)."""
    notes: dict = field(default_factory=dict)
    """Staff's notes per section key (``ReportSettings.notes``)."""

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period_label(self) -> str:
        """The label staff chose, else R3.4～9月末: from April to the end of the report month
        (R3.4～R4.3月末 from January); R3.4～10.1 for a date that is not a month's end."""
        if self.chosen_label:
            return self.chosen_label
        start = wareki_short(dt.date(self.fiscal_year, 4, 1)).rsplit(".", 1)[0]
        month_end = (self.as_of + dt.timedelta(days=1)).day == 1
        if self.as_of.year > self.fiscal_year:  # January to March: name the next era year
            end = wareki_short(self.as_of)
            return f"{start}～{end.rsplit('.', 1)[0]}月末" if month_end else f"{start}～{end}"
        if month_end:
            return f"{start}～{self.as_of.month}月末"
        return f"{start}～{self.as_of.month}.{self.as_of.day}"

    @property
    def meetings_attended(self) -> int:
        return sum(line.attended for line in self.meetings)

    @property
    def trainings_attended(self) -> int:
        return sum(line.attended for line in self.trainings)

    @property
    def awareness_attended(self) -> int:
        return sum(line.attended for line in self.awareness)


def _event_lines(events, as_of: dt.date) -> list[EventLine]:
    lines = []
    for event in events:
        if local_date(event.starts_at) > as_of:  # not held by the report date: nobody counted
            lines.append(EventLine(event=event, attended=0, state="planned"))
            continue
        state = "held" if event.attended else "unrecorded"
        lines.append(EventLine(event=event, attended=event.attended, state=state))
    return lines


def _with_satisfaction(lines: list[EventLine]) -> list[EventLine]:
    """The held trainings' lines with their questionnaire's satisfaction line."""
    found = satisfaction_lines({x.event.pk: x.attended for x in lines if x.state == "held"})
    return [replace(line, satisfaction=found.get(line.event.pk, "")) for line in lines]


def build_report(*, fiscal_year: int, as_of: dt.date) -> FiscalYearReport:
    """Gather the report's figures for the fiscal year as of the end of ``as_of``. A fixed
    number of queries, whatever the number of events, targets and visits."""
    events = events_with_attended(
        Event.objects.in_fiscal_year(fiscal_year).not_cancelled()
    ).order_by("starts_at", "id")
    trainings = events.filter(kind__in=TRAINING_KINDS).prefetch_related(
        Prefetch(
            "parts",
            queryset=EventPart.objects.order_by("order").prefetch_related(
                Prefetch(
                    "speakers",
                    queryset=EventPartLecturer.objects.select_related("lecturer").order_by("order"),
                )
            ),
        )
    )
    cadence = liaison_cadence(fiscal_year=fiscal_year, as_of=as_of)
    meeting_ids = [m.pk for block in cadence for m in block.held]
    attended = dict(
        events_with_attended(Event.objects.filter(pk__in=meeting_ids)).values_list("pk", "attended")
    )
    meetings = sorted(
        (
            MeetingLine(event=meeting, attended=attended.get(meeting.pk, 0))
            for block in cadence
            for meeting in block.held
        ),
        key=lambda line: (line.event.starts_at, line.event.pk),
    )
    targets = progress(fiscal_year=fiscal_year, as_of=as_of)
    # Largest plans first, then the most done, then the directory's order: the seed's order.
    targets.sort(key=lambda item: (-item.planned, -item.done, item.order))
    dispatch_start = fiscal_year_bounds(fiscal_year)[0]
    dispatch_end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TOKYO)
    goal = case_meeting_goal(fiscal_year=fiscal_year, as_of=as_of)
    chosen = ReportSettings.objects.filter(fiscal_year=fiscal_year).first()
    training_lines = _event_lines(trainings, as_of)
    if chosen and chosen.survey_satisfaction:
        training_lines = _with_satisfaction(training_lines)
    return FiscalYearReport(
        fiscal_year=fiscal_year,
        as_of=as_of,
        trainings=training_lines,
        awareness=_event_lines(events.filter(kind=Event.Kind.AWARENESS), as_of),
        meetings=meetings,
        meetings_expected=sum(block.expected for block in cadence),
        public_targets=[t for t in targets if t.kind != Target.Kind.ORGANIZATION],
        partner_targets=[t for t in targets if t.kind == Target.Kind.ORGANIZATION],
        dispatches_done=LecturerDispatch.objects.exclude(status=LecturerDispatch.Status.CANCELLED)
        .filter(starts_at__gte=dispatch_start, starts_at__lt=dispatch_end)
        .count(),
        case_meetings_held=goal.count,
        municipalities=goal.total,
        direct_support=direct_support(fiscal_year=fiscal_year, as_of=as_of),
        invented=is_invented(fiscal_year),
        chosen_label=chosen.period_label if chosen and chosen.as_of == as_of else "",
        notes=dict(chosen.notes) if chosen else {},
    )


def previous_report(report: FiscalYearReport) -> FiscalYearReport | None:
    """The same report a year earlier (same report date), for comparisons; None when that year
    has no data (a chart compares with nothing rather than with zeros)."""
    previous = build_report(
        fiscal_year=report.fiscal_year - 1, as_of=same_day_a_year_before(report.as_of)
    )
    return previous if has_data(previous) else None


def has_data(report: FiscalYearReport) -> bool:
    """Whether anything was recorded for the report's year by its date."""
    return bool(
        report.direct_support
        or any(line.attended for line in [*report.trainings, *report.awareness])
        or report.meetings
        or any(t.planned or t.done for t in [*report.public_targets, *report.partner_targets])
        or report.dispatches_done
        or report.case_meetings_held
    )


def same_day_a_year_before(day: dt.date) -> dt.date:
    """The report date of the previous year's comparison (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
