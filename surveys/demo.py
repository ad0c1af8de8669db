"""Demo part of surveys: the questionnaires of the invented FY2022 trainings (令和4年度, see
reports.demo; 「デモ用の架空データ」) with invented paper answers, so that the results pages and
the FY2022 report's satisfaction lines have something to show. FY2021 (the seed's year) gets
none: its report reads exactly as the seed's document. A training that already has a
questionnaire is left alone, so running the loader twice changes nothing."""

import random

from attendance.models import RosterEntry
from core.demo import is_invented
from surveys import services
from surveys.models import Survey
from training.models import Event

# Per label: the share of attendees who answered, and the weights of 1–5 for satisfaction.
ANSWERS = {
    "ア": (0.9, [0, 1, 3, 18, 33]),
    "イ": (0.85, [0, 2, 5, 22, 31]),
    "ウ": (0.75, [1, 2, 6, 11, 10]),
}
COMMENTS = [
    "事例を交えた説明で分かりやすかった。",
    "家族への声かけの具体例をもっと知りたい。",
    "オンラインでも質問しやすかった。",
    "関係機関との連携の実際について次回も聞きたい。",
]


def _sheet(survey: Survey, rng: random.Random, satisfaction: list[int]) -> dict:
    data = {}
    for question in survey.questions.all():
        name = services.field_name(question)
        if question.code == "satisfaction":
            data[name] = [str(rng.choices(range(1, 6), weights=satisfaction)[0])]
        elif question.kind == "scale5":
            data[name] = [str(rng.choice([3, 4, 4, 5, 5]))]
        elif question.kind == "single":
            data[name] = [str(rng.choice([0, 0, 0, 1]))]
        elif question.kind == "multiple":
            data[name] = [str(i) for i in rng.sample(range(len(question.choices) - 1), 2)]
        elif rng.random() < 0.15:
            data[name] = [rng.choice(COMMENTS)]
    return data


def load(stdout=None) -> str:
    made = 0
    if not is_invented(2022):
        return "surveys: no invented FY2022 year, no questionnaires"
    events = Event.objects.in_fiscal_year(2022).filter(course__isnull=False, label__in=ANSWERS)
    for event in events.order_by("starts_at"):
        if Survey.objects.filter(event=event).exists():
            continue
        survey = services.create_survey(actor=None, event_id=event.pk, is_demo=True)
        share, satisfaction = ANSWERS[event.label]
        attended = RosterEntry.objects.attended().filter(event=event).count()
        rng = random.Random(f"survey-{event.label}")
        for _ in range(round(attended * share)):
            services.enter_paper_sheet(
                actor=None, survey_id=survey.pk, data=_sheet(survey, rng, satisfaction)
            )
        made += 1
    return f"surveys: {made} questionnaires of the invented FY2022 trainings with answers"
