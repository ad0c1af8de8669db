"""The fiscal-year report the prefecture writes (「令和３年度の取組状況」), built from the data.

Every figure is computed from rows: participants from attendance rosters, 「実施済／予定」 from
the supervision plans and visits as of the report date, the liaison meetings from their events.
The text form follows the seed document line by line, so that the office can paste it into its
report: full-width brackets and numbers where the prefecture writes them, 和暦 dates (R3.6.10).

Where the seed is silent:

- The report date (``as_of``) closes the visit counts and the lecturer dispatches. Events are
  listed with their participants when a roster was recorded, whatever the date (the seed, written
  in October, counts つながるfesta of 10/1 in its "to end of September" report); an event without
  attended roster rows is 「開催予定」 when it starts after the report date and 「参加者未記録」
  otherwise.
- A lecturer dispatch counts as done when it took place by the report date and was not
  cancelled (nobody has to mark it done).
- Targets are listed largest plan first, then most visits done, then in the directory's order
  (the seed's order: いの町 2/5, 須崎市 1/5, 中土佐町 1/2, ...).
- Partner organizations are reported apart from municipalities and health-office districts, as
  the seed does (イ 若者サポートステーションとの定期的な検討会).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from attendance.queries import events_with_attended
from core.fiscal import (
    TOKYO,
    fiscal_year_bounds,
    fiscal_year_label,
    local_date,
    wareki_short,
)
from supervision.models import LecturerDispatch, Target
from supervision.queries import TargetProgress, case_meeting_goal, liaison_cadence, progress
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

    @property
    def date_label(self) -> str:
        return wareki_short(self.event.starts_at)


@dataclass(frozen=True)
class MeetingLine:
    event: Event
    attended: int


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

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period_label(self) -> str:
        """R3.4～9月末: from April to the end of the report month."""
        start = wareki_short(dt.date(self.fiscal_year, 4, 1)).rsplit(".", 1)[0]
        return f"{start}～{self.as_of.month}月末"

    @property
    def meetings_attended(self) -> int:
        return sum(line.attended for line in self.meetings)


def _event_lines(events, as_of: dt.date) -> list[EventLine]:
    lines = []
    for event in events:
        if event.attended:
            state = "held"
        elif local_date(event.starts_at) > as_of:
            state = "planned"
        else:
            state = "unrecorded"
        lines.append(EventLine(event=event, attended=event.attended, state=state))
    return lines


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
    goal = case_meeting_goal(fiscal_year=fiscal_year)
    return FiscalYearReport(
        fiscal_year=fiscal_year,
        as_of=as_of,
        trainings=_event_lines(trainings, as_of),
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
    )


# --- the text form ----------------------------------------------------------------------------

IROHA = "アイウエオカキクケコサシスセソタチツテト"


def _speaker_line(part: EventPart) -> list[str]:
    by_role: dict[str, list[str]] = {}
    for speaker in part.speakers.all():
        by_role.setdefault(speaker.role, []).append(speaker)
    lines = []
    for role, speakers in by_role.items():
        if len(speakers) == 1:
            lecturer = speakers[0].lecturer
            who = "　".join(
                x for x in (lecturer.affiliation, lecturer.title, _spaced(lecturer.name)) if x
            )
        else:
            who = "・".join(_spaced(s.lecturer.name) for s in speakers)
        lines.append(f"　　　　{ROLE_LABELS.get(role, role)}：{who}")
    return lines


def _spaced(name: str) -> str:
    """山﨑 正雄 → 山﨑　正雄 (a full-width space between family and given name)."""
    return name.replace(" ", "　")


def _count(line: EventLine) -> str:
    if line.state == "held":
        return f"　{line.attended}名参加"
    if line.state == "planned":
        return "（開催予定）"
    return "（参加者未記録）"


def render_text(report: FiscalYearReport) -> str:
    """The report as the prefecture writes it (the seed's wording and layout)."""
    out = [f"{report.label}の取組状況（{report.period_label}）", ""]

    out += ["１　人材養成（研修等）", "（１）ひきこもり支援者人材養成研修（主催）"]
    for index, line in enumerate(report.trainings):
        event = line.event
        letter = event.label or IROHA[index % len(IROHA)]
        parts = list(event.parts.all())
        kind = KIND_LABELS.get(event.kind, "")
        heading = f"{kind}『{event.title}』" if kind else event.title
        if event.kind == Event.Kind.CASE_STUDY:
            heading = event.title
        out.append(f"　{letter}　{heading}{_count(line)}")
        for number, part in enumerate(parts):
            if number > 0:
                out.append(f"　　　　{PART_LABELS.get(part.kind, '')}『{part.title}』")
            out += _speaker_line(part)
    out.append("")

    out += ["２　地域支援", "（１）ひきこもり支援者連絡会議"]
    meetings = "、".join(
        f"【{wareki_short(line.event.starts_at)}{line.event.block.name}ブロック】"
        f"{line.attended}名参加"
        for line in report.meetings
    )
    out.append(
        f"　　{meetings}　計　{report.meetings_attended}名参加" if meetings else "　　（未開催）"
    )
    out.append("（２）関係機関支援　※（　）内は、（実施済／予定）回数")
    out.append("　ア　関係機関とのケース会議、勉強会、業務検討会")
    out.append(
        "　　"
        + "・".join(
            f"{t.name}（{full_width(t.done)}／{full_width(t.planned)}回）"
            for t in report.public_targets
        )
    )
    for number, target in enumerate(report.partner_targets, start=1):
        out.append(
            f"　{IROHA[number]}　{target.name}との定期的な検討会"
            f"（{full_width(target.done)}／{full_width(target.planned)}回）"
        )
    out.append(f"（３）講師派遣　派遣回数：{report.dispatches_done}回実施済")
    out.append("")

    out += ["３　普及啓発"]
    for line in report.awareness:
        out.append(f"　{line.event.title}　{line.date_label}{_count(line)}")
    out.append("")
    out.append(
        f"（参考）市町村におけるケース会議の実施：{report.case_meetings_held}市町村"
        f"／{report.municipalities}市町村"
    )
    return "\n".join(out) + "\n"
