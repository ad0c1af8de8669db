"""The questionnaire's results as JSON: ``GET /api/training/events/{id}/survey/results``
(center staff; any other role 404, anonymous 401): the counts, shares and averages of every
question, the response rate and how many free-text answers there are; their texts at
``GET /api/training/events/{id}/survey/results/free-text``, paginated like every list
(``limit`` ≤ 500, ``offset``; ``{"items": [...], "count": N}``, sorted by question and text). Responses staff hid are left out, as in the
exports; no field names, orders or dates a person."""

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from core.inputs import Id
from core.pagination import Pagination
from directory.auth import staff_auth
from directory.permissions import is_center_staff
from surveys.models import Survey
from surveys.results import survey_results

router = Router(auth=staff_auth, tags=["surveys"])


class OptionOut(Schema):
    label: str
    count: int
    share: int


class QuestionResultOut(Schema):
    id: int
    kind: str
    text: str
    answered: int
    average: float | None
    options: list[OptionOut]


class FreeTextOut(Schema):
    question_id: int
    text: str


class SurveyResultsOut(Schema):
    event_id: int
    responses: int
    attendees: int
    response_rate: int | None
    frozen: bool
    questions: list[QuestionResultOut]
    free_text_count: int


def _results(request, event_id: int):
    if not is_center_staff(request.auth):
        raise Http404
    survey = Survey.objects.filter(event_id=event_id).first()
    if survey is None:
        raise Http404
    return survey, survey_results(survey, for_export=True)


@router.get(
    "/events/{event_id}/survey/results",
    response=SurveyResultsOut,
    summary="Questionnaire results of an event (center staff)",
)
def survey_results_api(request, event_id: Id):
    survey, results = _results(request, event_id)
    return SurveyResultsOut(
        event_id=survey.event_id,
        responses=results.responses,
        attendees=results.attendees,
        response_rate=results.rate,
        frozen=survey.is_frozen,
        questions=[
            QuestionResultOut(
                id=r.question.pk,
                kind=r.question.kind,
                text=r.question.text,
                answered=r.answered,
                average=r.average,
                options=[OptionOut(label=o.label, count=o.count, share=o.share) for o in r.options],
            )
            for r in results.questions
        ],
        free_text_count=sum(len(r.texts) for r in results.questions),
    )


@router.get(
    "/events/{event_id}/survey/results/free-text",
    response=list[FreeTextOut],
    summary="Free-text answers of an event's questionnaire (center staff)",
)
@paginate(Pagination)
def survey_free_text_api(request, event_id: Id):
    _survey, results = _results(request, event_id)
    return [
        FreeTextOut(question_id=r.question.pk, text=t.text)
        for r in results.questions
        for t in r.texts
    ]
