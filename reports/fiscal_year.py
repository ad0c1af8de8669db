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
- Section １ (直接支援) holds figures that come from outside the system, entered by center staff
  per period (``reports.models``): the report shows the latest period that has ended by the
  report date (通年 from 31 March, 上半期 from 30 September), with that period in its heading.

The four sections, their order and numbering are the seed's: １ 直接支援, ２ 地域支援,
３ 人材養成（研修等）, ４ 普及啓発（その他）. ``sections()`` builds them once as lines of text and
figures (each figure knows the list it was counted from); the page, the text, the XLSX and the
PDF all render those lines.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from attendance.queries import events_with_attended
from core import center
from core.demo import is_invented
from core.fiscal import (
    TOKYO,
    fiscal_year_bounds,
    fiscal_year_label,
    local_date,
    wareki_short,
)
from reports.models import DirectSupportFigures
from reports.services import period_end
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

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period_label(self) -> str:
        """R3.4～9月末: from April to the end of the report month (R3.4～R4.3月末 from January)."""
        start = wareki_short(dt.date(self.fiscal_year, 4, 1)).rsplit(".", 1)[0]
        if self.as_of.year > self.fiscal_year:  # January to March: name the next era year
            end = wareki_short(self.as_of).rsplit(".", 1)[0]
            return f"{start}～{end}月末"
        return f"{start}～{self.as_of.month}月末"

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
        direct_support=direct_support(fiscal_year=fiscal_year, as_of=as_of),
        invented=is_invented(fiscal_year),
    )


def previous_report(report: FiscalYearReport) -> FiscalYearReport:
    """The same report a year earlier (same report date), for comparisons."""
    return build_report(
        fiscal_year=report.fiscal_year - 1, as_of=same_day_a_year_before(report.as_of)
    )


def same_day_a_year_before(day: dt.date) -> dt.date:
    """The report date of the previous year's comparison (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- the sections: lines of text and figures -------------------------------------------------

IROHA = "アイウエオカキクケコサシスセソタチツテト"
NUMBERS = "１２３４５６７８９"
# Section and subsection names unless the center's profile names them otherwise
# (``core.center.current().sections``, kept by directory's CenterProfile).
SECTION_TITLES = {
    "direct_support": "直接支援",
    "consultation": "相談支援（所内相談）",
    "ibasho": "居場所づくり支援（青年期の集い）",
    "social_experience": "社会体験事業",
    "regional_support": "地域支援",
    "liaison": "ひきこもり支援者連絡会議",
    "partner_support": "関係機関支援",
    "training": "人材養成（研修等）",
    "training_course": "ひきこもり支援者人材養成研修（主催）",
    "awareness": "普及啓発（その他）",
    "awareness_events": "ひきこもりに関する普及啓発",
    "technical_support": "普及啓発・技術支援",
    "dispatch": "講師派遣",
}


@dataclass(frozen=True)
class Figure:
    """One number of the report: what it counts, its value, how the text prints it, and the
    list it was counted from."""

    label: str
    value: int
    display: str
    url: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Line:
    """One line of the report: text and figures in the seed's wording. ``level`` 0 is a
    subsection heading such as （１）…, 1 an item under it."""

    parts: tuple
    level: int = 1
    heading: str = ""
    """The subsection the line belongs to (for the XLSX)."""

    @property
    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.display for part in self.parts)

    @property
    def figures(self) -> list[Figure]:
        return [part for part in self.parts if isinstance(part, Figure)]


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    period_label: str
    lines: list[Line]

    @property
    def heading(self) -> str:
        return f"{self.number}　{self.title}（{self.period_label}）"


def _speaker_lines(part: EventPart) -> list[str]:
    by_role: dict[str, list] = {}
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


def _count_parts(line: EventLine, url: str) -> list:
    if line.state == "held":
        return [
            "　",
            Figure(line.event.title, line.attended, f"{line.attended}名", url, "名"),
            "参加",
        ]
    if line.state == "planned":
        return ["（開催予定）"]
    return ["（参加者未記録）"]


class _Urls:
    """Where each figure was counted from (empty strings when links are not wanted)."""

    def __init__(self, report: "FiscalYearReport", enabled: bool):
        self.enabled = enabled
        self.query = f"?fy={report.fiscal_year}&as_of={report.as_of.isoformat()}"
        self.fiscal_year = report.fiscal_year
        self.as_of = report.as_of.isoformat()
        self.names = {**SECTION_TITLES, **(center.current().sections or {})}

    def _reverse(self, name: str, *args, query: str = "") -> str:
        if not self.enabled:
            return ""
        from django.urls import reverse

        return reverse(name, args=args) + query

    def roster(self, event) -> str:
        return self._reverse("attendance:roster", event.pk)

    def target(self, target_id: int) -> str:
        return self._reverse("supervision:target", target_id, query=self.query)

    def liaison(self, block_id: int | None = None) -> str:
        anchor = f"#block-{block_id}" if block_id else ""
        return self._reverse("supervision:liaison_meetings", query=self.query + anchor)

    def dispatches(self) -> str:
        return self._reverse("reports:dispatches", self.fiscal_year, query=f"?as_of={self.as_of}")

    def case_meetings(self) -> str:
        return self._reverse("supervision:case_meetings", query=self.query)

    def figures(self, period: str) -> str:
        return self._reverse("reports:direct_support", self.fiscal_year, query=f"?period={period}")


def _direct_support_lines(report: "FiscalYearReport", urls: _Urls) -> list[Line]:
    figures = report.direct_support
    h1, h2, h3 = (
        "（１）相談支援（所内相談）",
        "（２）居場所づくり支援（青年期の集い）",
        "（３）社会体験事業",
    )
    if figures is None:
        return [Line(("（未入力）",), level=1)]
    url = urls.figures(figures.period)
    breakdown: list = ["（内訳 "]
    for index, (name, count) in enumerate(figures.consultations):
        if index:
            breakdown.append("・")
        breakdown += [f"{name} ", Figure(name, count, f"{count}件", url, "件")]
    breakdown.append("）")
    total = figures.consultations_total
    people = figures.social_experience_people
    workplaces = figures.social_experience_workplaces
    days = figures.social_experience_days
    return [
        Line((h1,), level=0, heading=h1),
        Line(
            (
                "　相談受理件数 ",
                Figure("相談受理件数", total, f"{total}件", url, "件"),
                *(breakdown if figures.consultations else []),
            ),
            heading=h1,
        ),
        Line(
            (
                f"{h2}：参加延べ人数",
                Figure(
                    "参加延べ人数",
                    figures.ibasho_participants,
                    f"{figures.ibasho_participants}名",
                    url,
                    "名",
                ),
            ),
            level=0,
            heading=h2,
        ),
        Line(
            (
                f"{h3}：体験人数　",
                Figure("体験人数", people, f"{people}名", url, "名"),
                "・",
                Figure("体験事業所", workplaces, f"{workplaces}事業所", url, "事業所"),
                "（",
                Figure("体験日数", days, f"{days}日間", url, "日間"),
                "）",
            ),
            level=0,
            heading=h3,
        ),
    ]


def _community_lines(report: "FiscalYearReport", urls: _Urls) -> list[Line]:
    h1, h2 = (
        "（１）ひきこもり支援者連絡会議",
        "（２）関係機関支援　※（　）内は、（実施済／予定）回数",
    )
    lines = [Line((h1,), level=0, heading=h1)]
    if report.meetings:
        parts: list = ["　　"]
        for index, line in enumerate(report.meetings):
            if index:
                parts.append("、")
            block = line.event.block
            label = f"【{wareki_short(line.event.starts_at)}{block.name}ブロック】"
            parts += [
                label,
                Figure(label, line.attended, f"{line.attended}名", urls.roster(line.event), "名"),
                "参加",
            ]
        total = report.meetings_attended
        parts += ["　計　", Figure("計", total, f"{total}名", urls.liaison(), "名"), "参加"]
        lines.append(Line(tuple(parts), heading=h1))
    else:
        lines.append(Line(("　　（未開催）",), heading=h1))
    lines.append(Line((h2,), level=0, heading=h2))
    sub = "　ア　関係機関とのケース会議、勉強会、業務検討会"
    lines.append(Line((sub,), heading=h2))
    parts = ["　　"]
    for index, target in enumerate(report.public_targets):
        if index:
            parts.append("・")
        parts += _target_parts(target, urls)
    if report.public_targets:
        lines.append(Line(tuple(parts), heading=h2))
    for number, target in enumerate(report.partner_targets, start=1):
        lines.append(
            Line(
                (
                    f"　{IROHA[number]}　{target.name}との定期的な検討会",
                    *_target_parts(target, urls)[1:],
                ),
                heading=h2,
            )
        )
    return lines


def _target_parts(target: TargetProgress, urls: _Urls) -> list:
    url = urls.target(target.target_id)
    return [
        target.name,
        "（",
        Figure(f"{target.name} 実施済", target.done, full_width(target.done), url, "回"),
        "／",
        Figure(f"{target.name} 予定", target.planned, full_width(target.planned), url, "回"),
        "回）",
    ]


def _training_lines(report: "FiscalYearReport", urls: _Urls) -> list[Line]:
    h1 = f"（１）{urls.names['training_course']}"
    lines = [Line((h1,), level=0, heading=h1)]
    for index, line in enumerate(report.trainings):
        event = line.event
        letter = event.label or IROHA[index % len(IROHA)]
        kind = KIND_LABELS.get(event.kind, "")
        heading = f"{kind}『{event.title}』" if kind else event.title
        lines.append(
            Line((f"　{letter}　{heading}", *_count_parts(line, urls.roster(event))), heading=h1)
        )
        for number, part in enumerate(event.parts.all()):
            if number > 0:
                lines.append(
                    Line((f"　　　　{PART_LABELS.get(part.kind, '')}『{part.title}』",), heading=h1)
                )
            lines += [Line((text,), heading=h1) for text in _speaker_lines(part)]
    if not report.trainings:
        lines.append(Line(("　（未開催）",), heading=h1))
    return lines


def _awareness_lines(report: "FiscalYearReport", urls: _Urls) -> list[Line]:
    h1 = f"（１）{urls.names['awareness_events']}"
    h2 = f"（２）{urls.names['technical_support']}"
    lines = [Line((h1,), level=0, heading=h1)]
    for line in report.awareness:
        lines.append(
            Line(
                (
                    f"　{line.event.title}　{line.date_label}",
                    *_count_parts(line, urls.roster(line.event)),
                ),
                heading=h1,
            )
        )
    if not report.awareness:
        lines.append(Line(("　（未開催）",), heading=h1))
    done = report.dispatches_done
    lines += [
        Line((h2,), level=0, heading=h2),
        Line(
            (
                "　ひきこもりに関する講演会、研修会の講師　派遣回数：",
                Figure(f"{urls.names['dispatch']}回数", done, f"{done}回", urls.dispatches(), "回"),
                "実施済",
            ),
            heading=h2,
        ),
    ]
    return lines


def sections(report: "FiscalYearReport", *, links: bool = True) -> list[Section]:
    """The report's four sections in the seed's order and numbering. Titles can be renamed
    per center (``core.center.current().sections``)."""
    urls = _Urls(report, links)
    names = urls.names
    builders = [
        ("direct_support", _direct_support_lines),
        ("regional_support", _community_lines),
        ("training", _training_lines),
        ("awareness", _awareness_lines),
    ]
    return [
        Section(
            key=key,
            number=NUMBERS[index],
            title=names[key],
            period_label=(
                report.direct_support.period_label
                if key == "direct_support" and report.direct_support
                else report.period_label
            ),
            lines=build(report, urls),
        )
        for index, (key, build) in enumerate(builders)
    ]


def title(report: "FiscalYearReport") -> str:
    """令和3年度の取り組みについて（<the center's name>）, as the seed heads it."""
    return f"{report.label}の取り組みについて（{center.current().name}）"


def case_meeting_line(report: "FiscalYearReport", *, links: bool = True) -> Line:
    urls = _Urls(report, links)
    return Line(
        (
            "（参考）市町村におけるケース会議の実施：",
            Figure(
                "ケース会議実施市町村",
                report.case_meetings_held,
                f"{report.case_meetings_held}市町村",
                urls.case_meetings(),
                "市町村",
            ),
            f"／{report.municipalities}市町村",
        ),
        level=0,
    )


def render_text(report: "FiscalYearReport") -> str:
    """The report as the prefecture writes it (the seed's wording, order and numbering)."""
    out = [title(report)]
    if report.invented:
        out.append("※デモ用の架空データです（実際の実績ではありません）。")
    out.append("")
    for section in sections(report, links=False):
        out.append(section.heading)
        out += [line.text for line in section.lines]
        out.append("")
    out.append(case_meeting_line(report, links=False).text)
    return "\n".join(out) + "\n"
