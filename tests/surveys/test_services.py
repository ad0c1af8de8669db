"""The questionnaire's rules: the template per kind, changes until the first answer, answers
checked against the questions (nothing stored when one is wrong), center staff only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import AuditEntry
from surveys import services
from surveys.models import Answer, Question, Response
from tests.surveys.conftest import full_answer


@pytest.fixture(autouse=True)
def japanese():
    with translation.override("ja"):
        yield


def test_new_survey_starts_from_the_template_in_japanese(survey):
    texts = [(q.kind, q.text) for q in survey.questions.all()]

    assert texts == [
        ("scale5", "この研修の満足度を教えてください。"),
        ("scale5", "内容はどの程度理解できましたか。"),
        ("scale5", "学んだことは業務に活かせそうですか。"),
        ("multiple", "今後希望するテーマ（複数選択可）"),
        ("long_text", "ご意見・ご感想"),
    ]


def test_online_lecture_template_asks_about_the_connection(center_staff):
    from tests.attendance.factories import LectureFactory

    event = LectureFactory(kind="online_lecture")

    survey = services.create_survey(actor=center_staff, event_id=event.pk)

    assert [q.code for q in survey.questions.all()] == [
        "satisfaction",
        "understanding",
        "usefulness",
        "online",
        "themes",
        "comments",
    ]


def test_staff_add_reorder_change_and_remove_questions(survey, center_staff):
    question = services.add_question(
        actor=center_staff,
        survey_id=survey.pk,
        kind="single",
        text="会場はいかがでしたか",
        required=False,
        choices=["良い", "普通", "悪い"],
    )
    services.move_question(actor=center_staff, question_id=question.pk, up=True)
    services.change_question(
        actor=center_staff,
        question_id=question.pk,
        text="会場",
        required=True,
        choices=["良い", "悪い"],
    )
    first = survey.questions.first()
    services.remove_question(actor=center_staff, question_id=first.pk)

    rows = [(q.text, q.required, q.choices) for q in survey.questions.all()][-3:]
    assert rows == [
        ("今後希望するテーマ（複数選択可）", False, rows[0][2]),
        ("会場", True, ["良い", "悪い"]),
        ("ご意見・ご感想", False, []),
    ]
    actions = list(
        AuditEntry.objects.filter(object_id=str(survey.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "surveys.survey.created",
        "surveys.question.added",
        "surveys.question.moved",
        "surveys.question.changed",
        "surveys.question.removed",
    ]


def test_questions_are_frozen_after_the_first_answer(survey, center_staff):
    services.enter_paper_sheet(actor=center_staff, survey_id=survey.pk, data=full_answer(survey))
    question = survey.questions.first()
    before = list(survey.questions.values_list("id", "text", "order"))

    with pytest.raises(ValidationError) as error:
        services.change_question(
            actor=center_staff, question_id=question.pk, text="変更", required=True, choices=[]
        )
    with pytest.raises(ValidationError):
        services.remove_question(actor=center_staff, question_id=question.pk)
    with pytest.raises(ValidationError):
        services.add_question(
            actor=center_staff,
            survey_id=survey.pk,
            kind="short_text",
            text="追加",
            required=False,
            choices=[],
        )

    assert error.value.message_dict == {"questions": ["回答が届いたため、質問は変更できません。"]}
    assert list(survey.questions.values_list("id", "text", "order")) == before


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("comments", ["あ" * 2001], "2000 文字以内で入力してください。"),
        ("comments", ["よかった\x00"], "保存できない文字（U+0000）を取り除いてください。"),
        ("themes", ["99"], "示された選択肢から選んでください。"),
        ("satisfaction", ["6"], "示された選択肢から選んでください。"),
        ("satisfaction", ["4", "5"], "回答を1つ選んでください。"),
        ("satisfaction", [], "この質問に回答してください。"),
    ],
)
def test_bad_answers_are_refused_in_japanese_and_nothing_is_stored(
    survey, center_staff, name, value, message
):
    question = survey.questions.get(code=name)
    data = full_answer(survey, **{services.field_name(question): value})

    with pytest.raises(ValidationError) as error:
        services.enter_paper_sheet(actor=center_staff, survey_id=survey.pk, data=data)

    assert error.value.message_dict == {services.field_name(question): [message]}
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)
    survey.refresh_from_db()
    assert survey.frozen_at is None


def test_question_limits_are_checked(survey, center_staff):
    with pytest.raises(ValidationError) as error:
        services.add_question(
            actor=center_staff,
            survey_id=survey.pk,
            kind="single",
            text="x" * 201,
            required=True,
            choices=["一つだけ"],
        )

    assert set(error.value.message_dict) == {"text", "choices"}
    assert Question.objects.filter(survey=survey).count() == 5


def test_only_center_staff_change_a_survey(survey, health_office_staff, municipal_staff):
    for user in (health_office_staff, municipal_staff):
        with pytest.raises(PermissionDenied):
            services.add_question(
                actor=user,
                survey_id=survey.pk,
                kind="short_text",
                text="x",
                required=False,
                choices=[],
            )


def test_hiding_a_response_is_audited(survey, center_staff):
    response = services.enter_paper_sheet(
        actor=center_staff, survey_id=survey.pk, data=full_answer(survey)
    )

    services.set_response_hidden(actor=center_staff, response_id=response.pk, hidden=True)

    response.refresh_from_db()
    assert response.hidden is True
    entry = AuditEntry.objects.get(action="surveys.response.hidden")
    assert (entry.object_id, entry.actor) == (str(response.pk), center_staff)
