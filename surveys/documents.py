"""The printable A4 questionnaire (研修アンケート) of an event, for the attendees who answer on
paper at the venue: the event, the questions in order with boxes to tick (□) and lines to
write on. reportlab with IPAexGothic embedded, as the roster's PDFs (attendance.documents);
without the font it raises ``attendance.documents.FontMissing``."""

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from attendance.documents import date_with_weekday, japanese_font
from core.center import current
from surveys.models import Question, Survey

Kind = Question.Kind


def _style(size: float, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        f"survey{size}",
        fontName=japanese_font(),
        fontSize=size,
        leading=size * 1.5,
        wordWrap="CJK",
        **kwargs,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _question(number: int, question: Question, body: ParagraphStyle) -> list:
    required = _("(required)") if question.required else ""
    parts = [Paragraph(f"{_('Q')}{number}．{_escape(question.text)} {required}", body)]
    if question.kind == Kind.MULTIPLE:
        parts.append(Paragraph(_("Tick every answer that applies."), body))
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE5):
        boxes = "　".join(f"□ {_escape(option)}" for option in question.options)
        parts.append(Paragraph(boxes, body))
    else:
        lines = 5 if question.kind == Kind.LONG_TEXT else 1
        for _line in range(lines):
            parts.append(Spacer(1, 8 * mm))
            parts.append(HRFlowable(width="100%", thickness=0.5))
    parts.append(Spacer(1, 5 * mm))
    return [KeepTogether(parts)]


def questionnaire_pdf(survey: Survey) -> bytes:
    """The questionnaire as PDF bytes (A4 portrait)."""
    title, body, small = _style(16), _style(11), _style(9)
    event = survey.event
    story = [
        Paragraph(_escape(f"{_('Questionnaire')}：{event}"), title),
        Paragraph(_escape(f"{date_with_weekday(event.starts_at)}　{current().name}"), small),
        Spacer(1, 3 * mm),
        Paragraph(_("Your answers are anonymous: please do not write your name."), body),
        Spacer(1, 5 * mm),
    ]
    for number, question in enumerate(survey.questions.all(), start=1):
        story += _question(number, question, body)
    story.append(Paragraph(_("Thank you for your answers."), body))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{_('Questionnaire')} {event}",
    )
    document.build(story)
    return buffer.getvalue()
