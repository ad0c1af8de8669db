"""The report as JSON: ``GET /api/reports/fiscal-year/{fy}?as_of=YYYY-MM-DD`` (center staff;
anyone else 404). The same content as the page, from the same ``build_report``."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema

from core import center
from core.fiscal import fiscal_year_of, local_date
from directory.auth import staff_auth
from reports import services
from reports.fiscal_year import PART_LABELS, FiscalYearReport, build_report
from reports.permissions import can_view_report
from reports.sections import speaker_texts

router = Router(auth=staff_auth, tags=["reports"])


class ReportChannelOut(Schema):
    channel: str
    count: int


class ReportConsultationsOut(Schema):
    total: int
    breakdown: list[ReportChannelOut]


class ReportSocialExperienceOut(Schema):
    people: int
    workplaces: int
    days: int


class ReportDirectSupportOut(Schema):
    period: str
    period_label: str
    consultations: ReportConsultationsOut
    ibasho_participants: int
    social_experience: ReportSocialExperienceOut


class ReportMeetingOut(Schema):
    block: str
    date: dt.date
    participants: int


class ReportTargetOut(Schema):
    name: str
    kind: str
    done: int
    planned: int


class ReportLecturerOut(Schema):
    name: str
    affiliation: str
    title: str
    honorific: str
    """医師, 教授: printed with the name."""
    print_style: str
    """affiliation, position or name (``training.models.Lecturer.PrintStyle``)."""
    printed: str
    """The lecturer as the report prints them alone: 「○○大学医学部特任助教　支援　花子　医師」."""
    role: str


class ReportPartOut(Schema):
    kind: str
    heading: str
    """講義 or 対談, as the report prints it: 対談『…』."""
    title: str
    lecturers: list[ReportLecturerOut]
    speakers: list[str]
    """The part's speaker lines as the report prints them: 「対談者：小松　静香医師・山﨑　正雄」."""


class ReportTrainingOut(Schema):
    label: str
    title: str
    kind: str
    date: dt.date
    state: str
    participants: int
    satisfaction: str | None
    """The questionnaire's line when the year's settings print it, else null."""
    lecturers: list[ReportLecturerOut]
    parts: list[ReportPartOut]


class ReportAwarenessOut(Schema):
    title: str
    date: dt.date
    state: str
    participants: int


class ReportOut(Schema):
    fiscal_year: int
    label: str
    center: str
    as_of: dt.date
    period_label: str
    invented: bool
    direct_support: ReportDirectSupportOut | None
    liaison_meetings: list[ReportMeetingOut]
    liaison_participants_total: int
    targets: list[ReportTargetOut]
    trainings: list[ReportTrainingOut]
    awareness_events: list[ReportAwarenessOut]
    lecturer_dispatches: int
    municipalities_with_case_meetings: int
    municipalities_total: int
    notes: dict[str, str]


class ReportQuery(Schema):
    as_of: dt.date | None = None


def _lecturer_json(speaker) -> dict:
    lecturer = speaker.lecturer
    return {
        "name": lecturer.name,
        "affiliation": lecturer.affiliation,
        "title": lecturer.title,
        "honorific": lecturer.honorific,
        "print_style": lecturer.print_style,
        "printed": lecturer.credit,
        "role": speaker.role,
    }


def _lecturers(event) -> list[dict]:
    return [
        _lecturer_json(speaker) for part in event.parts.all() for speaker in part.speakers.all()
    ]


def _parts(event) -> list[dict]:
    """The event's parts (a lecture, then the 対談) with their speakers."""
    return [
        {
            "kind": part.kind,
            "heading": PART_LABELS.get(part.kind, ""),
            "title": part.title,
            "lecturers": [_lecturer_json(speaker) for speaker in part.speakers.all()],
            "speakers": speaker_texts(part),
        }
        for part in event.parts.all()
    ]


def report_json(report: FiscalYearReport) -> dict:
    return {
        "fiscal_year": report.fiscal_year,
        "label": report.label,
        "center": center.current().name,
        "as_of": report.as_of,
        "period_label": report.period_label,
        "invented": report.invented,
        "direct_support": _direct_support_json(report.direct_support),
        "liaison_meetings": [
            {
                "block": line.event.block.name,
                "date": local_date(line.event.starts_at),
                "participants": line.attended,
            }
            for line in report.meetings
        ],
        "liaison_participants_total": report.meetings_attended,
        "targets": [
            {"name": t.name, "kind": t.kind, "done": t.done, "planned": t.planned}
            for t in [*report.public_targets, *report.partner_targets]
        ],
        "trainings": [_training_json(line) for line in report.trainings],
        "awareness_events": [
            {
                "title": line.event.title,
                "date": local_date(line.event.starts_at),
                "state": line.state,
                "participants": line.attended,
            }
            for line in report.awareness
        ],
        "lecturer_dispatches": report.dispatches_done,
        "municipalities_with_case_meetings": report.case_meetings_held,
        "municipalities_total": report.municipalities,
        "notes": report.notes,
    }


@router.get("/fiscal-year/{fy}", response=ReportOut, summary="The fiscal-year report")
def fiscal_year_report(request, fy: Path[int], query: Query[ReportQuery]):
    """The report of fiscal year ``fy`` as of ``as_of`` (default: today, or the year's last day
    for a past year). Participants are attended roster rows; ``state`` is ``held``,
    ``planned`` (after the report date) or ``unrecorded``."""
    if not can_view_report(request.auth):
        raise Http404
    if not 2000 <= fy <= 2100:
        raise ValidationError({"fy": _("Enter a fiscal year between 2000 and 2100.")})
    as_of = query.as_of or services.default_as_of(fy)
    if fiscal_year_of(as_of) != fy:
        raise ValidationError({"as_of": _("The report date must be within the fiscal year.")})
    return report_json(build_report(fiscal_year=fy, as_of=as_of))


def _direct_support_json(figures) -> dict | None:
    if figures is None:
        return None
    return {
        "period": figures.period,
        "period_label": figures.period_label,
        "consultations": {
            "total": figures.consultations_total,
            "breakdown": [
                {"channel": name, "count": count} for name, count in figures.consultations
            ],
        },
        "ibasho_participants": figures.ibasho_participants,
        "social_experience": {
            "people": figures.social_experience_people,
            "workplaces": figures.social_experience_workplaces,
            "days": figures.social_experience_days,
        },
    }


def _training_json(line) -> dict:
    return {
        "label": line.event.label,
        "title": line.event.title,
        "kind": line.event.kind,
        "date": local_date(line.event.starts_at),
        "state": line.state,
        "participants": line.attended,
        "satisfaction": line.satisfaction or None,
        "lecturers": _lecturers(line.event),
        "parts": _parts(line.event),
    }
