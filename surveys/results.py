"""What a questionnaire's answers add up to, shared by the staff page, the XLSX, the API and the
report: counts and shares per choice, scale averages, the response rate (responses /
attendees), free text, and the breakdown by source (web / paper) where a group smaller than
``SURVEY_MIN_GROUP`` (default 5) is never shown. Nothing here names a person: a response is
known by its random key only, and free text is listed in the order of its text."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count

from attendance.models import RosterEntry
from surveys.defaults import SATISFACTION
from surveys.models import Answer, Question, Response, Survey

Kind = Question.Kind


def min_group() -> int:
    return getattr(settings, "SURVEY_MIN_GROUP", 5)


@dataclass
class Option:
    label: str
    count: int
    share: int
    """Percent of the responses that answered the question (rounded)."""


@dataclass
class TextAnswer:
    response_id: str
    text: str
    hidden: bool


@dataclass
class Group:
    label: str
    responses: int
    shown: bool
    average: float | None = None
    options: list[Option] = field(default_factory=list)


@dataclass
class QuestionResult:
    question: Question
    answered: int
    options: list[Option] = field(default_factory=list)
    average: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    chart: str = ""
    """Its SVG chart, where a page draws one (surveys.charts)."""


@dataclass
class Results:
    survey: Survey
    responses: int
    attendees: int
    questions: list[QuestionResult]
    min_group: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.responses / self.attendees) if self.attendees else None


def attendees(survey: Survey) -> int:
    return RosterEntry.objects.attended().filter(event_id=survey.event_id).count()


def _tally(question: Question, answers: list[Answer], responses: int):
    """Options with counts and shares, and the average of a scale."""
    counts = [0] * len(question.options)
    base = 1 if question.kind == Kind.SCALE5 else 0
    for answer in answers:
        if answer.choice is not None and 0 <= answer.choice - base < len(counts):
            counts[answer.choice - base] += 1
    options = [
        Option(label, count, round(100 * count / responses) if responses else 0)
        for label, count in zip(question.options, counts, strict=True)
    ]
    average = None
    if question.kind == Kind.SCALE5 and sum(counts):
        average = round(sum((i + 1) * n for i, n in enumerate(counts)) / sum(counts), 2)
    return options, average


def survey_results(survey: Survey, *, for_export: bool = False) -> Results:
    """The results; ``for_export`` leaves out the responses staff hid (exports, the report)."""
    responses = {
        str(r.pk): r
        for r in Response.objects.filter(survey=survey, **({"hidden": False} if for_export else {}))
    }
    answers = Answer.objects.filter(response__survey=survey, response_id__in=list(responses))
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in survey.questions.all():
        rows = by_question.get(question.pk, [])
        answered = len({str(a.response_id) for a in rows})
        result = QuestionResult(question=question, answered=answered)
        if question.kind in Question.TEXT_KINDS:
            result.texts = sorted(
                (
                    TextAnswer(str(a.response_id), a.text, responses[str(a.response_id)].hidden)
                    for a in rows
                ),
                key=lambda t: (t.text, t.response_id),
            )
        else:
            result.options, result.average = _tally(question, rows, answered)
            result.groups = _groups(question, rows, responses)
        results.append(result)
    return Results(survey, len(responses), attendees(survey), results, min_group())


def _groups(question: Question, rows: list[Answer], responses: dict) -> list[Group]:
    groups = []
    for source, label in Response.Source.choices:
        members = [a for a in rows if responses[str(a.response_id)].source == source]
        count = len({str(a.response_id) for a in members})
        group = Group(label=str(label), responses=count, shown=count >= min_group())
        if group.shown:
            group.options, group.average = _tally(question, members, count)
        groups.append(group)
    return groups


def satisfaction_lines(attended: dict[int, int]) -> dict[int, str]:
    """Per event (of ``attended``: event id → people who attended), the report's line
    「満足度：満足・やや満足 92％（回答 80名／参加 89名）」: the share of the satisfaction question's
    answers at 4 or 5, over the responses not hidden, of questionnaires staff keep in the
    report. The report is the prefecture's Japanese document, so the line is Japanese whatever
    the reader's language. Three queries for any number of events."""
    surveys = dict(
        Survey.objects.filter(event_id__in=list(attended), show_in_report=True).values_list(
            "pk", "event_id"
        )
    )
    responses = dict(
        Response.objects.filter(survey_id__in=list(surveys), hidden=False)
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values_list("survey_id", "n")
    )
    values: dict[int, list[int]] = {}
    for survey_id, choice in Answer.objects.filter(
        question__survey_id__in=list(surveys),
        question__code=SATISFACTION,
        question__kind=Kind.SCALE5,
        response__hidden=False,
    ).values_list("question__survey_id", "choice"):
        values.setdefault(survey_id, []).append(choice)
    lines = {}
    for survey_id, event_id in surveys.items():
        chosen = values.get(survey_id)
        if not chosen:
            continue
        share = round(100 * sum(1 for v in chosen if v >= 4) / len(chosen))
        lines[event_id] = (
            f"満足度：満足・やや満足 {share}％"
            f"（回答 {responses.get(survey_id, 0)}名／参加 {attended[event_id]}名）"
        )
    return lines
