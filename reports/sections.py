"""The fiscal-year report's four sections as lines of text and figures (each figure knows the
list it was counted from), built once from a ``FiscalYearReport``: the page, the text, the XLSX
and the PDF all render these lines. The order and numbering are the seed's: １ 直接支援,
２ 地域支援, ３ 人材養成（研修等）, ４ 普及啓発（その他）."""

from dataclasses import dataclass

from core import center
from core.fiscal import (
    wareki_short,
)
from reports.fiscal_year import (
    KIND_LABELS,
    PART_LABELS,
    ROLE_LABELS,
    EventLine,
    FiscalYearReport,
    full_width,
)
from supervision.queries import TargetProgress
from training.models import EventPart

IROHA = "アイウエオカキクケコサシスセソタチツテト"
NUMBERS = "１２３４５６７８９"
# Section and subsection names unless the center's profile names them otherwise
# (``core.center.current().sections``, kept by directory's CenterProfile).
SECTION_TITLES = {
    "direct_support": "直接支援",
    "consultation": "相談支援（所内相談）",
    "ibasho": "居場所づくり支援",
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


def _mark(index: int) -> str:
    """ア, イ, … then （２１）, （２２）, … past the twenty katakana marks."""
    return IROHA[index] if index < len(IROHA) else f"（{full_width(index + 1)}）"


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


def speaker_texts(part: EventPart) -> list[str]:
    """講師：<the lecturer in their print style>, or 対談者：<name and honorific>・<…> for
    several (the seed: 「対談者：小松　静香医師・山﨑　正雄」), one per role."""
    by_role: dict[str, list] = {}
    for speaker in part.speakers.all():
        by_role.setdefault(speaker.role, []).append(speaker)
    texts = []
    for role, speakers in by_role.items():
        if len(speakers) == 1:
            who = speakers[0].lecturer.credit
        else:
            who = "・".join(s.lecturer.name_with_honorific for s in speakers)
        texts.append(f"{ROLE_LABELS.get(role, role)}：{who}")
    return texts


def _speaker_lines(part: EventPart) -> list[str]:
    return [f"　　　　{text}" for text in speaker_texts(part)]


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
        f"（１）{urls.names['consultation']}",
        f"（２）{urls.names['ibasho']}",
        f"（３）{urls.names['social_experience']}",
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
    lines = [Line((h1,), level=0, heading=h1), *_note_lines(report, "liaison", h1)]
    if report.meetings:
        parts: list = ["　　"]
        for index, line in enumerate(report.meetings):
            if index:
                parts.append("、")
            block = line.event.block
            label = f"【{wareki_short(line.event.starts_at)}{block.name}ブロック】"
            if not line.attended:  # held without a roster, as trainings print it
                parts += [label, "（参加者未記録）"]
                continue
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
    lines += [Line((h2,), level=0, heading=h2), *_note_lines(report, "partner_support", h2)]
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
                    f"　{_mark(number)}　{target.name}との定期的な検討会",
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
        if line.satisfaction:
            lines.append(Line((f"　　　　{line.satisfaction}",), heading=h1))
        for number, part in enumerate(event.parts.all()):
            if number > 0:
                lines.append(
                    Line((f"　　　　{PART_LABELS.get(part.kind, '')}『{part.title}』",), heading=h1)
                )
            lines += [Line((text,), heading=h1) for text in _speaker_lines(part)]
    if not report.trainings:
        lines.append(Line(("　（未開催）",), heading=h1))
    return lines + _note_lines(report, "training_course", h1)


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
    lines += _note_lines(report, "awareness_events", h1)
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
                if key == "direct_support" and report.direct_support and not report.chosen_label
                else report.period_label
            ),
            lines=build(report, urls) + _note_lines(report, key),
        )
        for index, (key, build) in enumerate(builders)
    ]


def _note_lines(report: "FiscalYearReport", key: str, heading: str = "") -> list[Line]:
    """Staff's notes (``ReportSettings.notes``), a line each as written, in the document's
    place: a section's notes after its figures; a subsection's right under its heading (連絡会議,
    関係機関支援: what they did, who took part) or after its lines (研修, 普及啓発: the festa's
    purpose and programme after the festa)."""
    note = report.notes.get(key, "")
    return [
        Line((f"　{text}",), level=1, heading=heading) for text in note.splitlines() if text.strip()
    ]


def closing_lines(report: "FiscalYearReport") -> list[Line]:
    """課題・対策 (the notes kept under ``issues``), after the whole report as the document
    ends the center's page with them."""
    note = report.notes.get("issues", "")
    return [Line((text,), level=0) for text in note.splitlines() if text.strip()]


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
    closing = closing_lines(report)
    if closing:
        out += ["", *(line.text for line in closing)]
    return "\n".join(out) + "\n"
