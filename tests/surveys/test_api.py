"""``GET /api/training/events/{id}/survey/results``: center staff only (other roles 404,
anonymous 401), documented, the free text paginated, hidden responses left out, no field
that names, orders or dates a person; a bad ``limit`` is a 422 naming it."""

import pytest

from surveys import services
from tests.conftest import client_for
from tests.surveys.conftest import full_answer

pytestmark = pytest.mark.django_db


def url(survey) -> str:
    return f"/api/training/events/{survey.event_id}/survey/results"


@pytest.fixture
def three_sheets(survey, center_staff):
    comments = services.field_name(survey.questions.get(code="comments"))
    for text in ("良かった", "また参加したい", "資料がほしい"):
        services.enter_paper_sheet(
            actor=center_staff, survey_id=survey.pk, data=full_answer(survey, **{comments: [text]})
        )
    return survey


def test_results_as_json_with_paginated_free_text(three_sheets, center_staff):
    client = client_for(center_staff)
    response = client.get(url(three_sheets))
    page = client.get(url(three_sheets) + "/free-text?limit=2&offset=1").json()

    body = response.json()
    assert response.status_code == 200
    assert (body["responses"], body["attendees"], body["response_rate"]) == (3, 0, None)
    satisfaction = body["questions"][0]
    assert satisfaction["average"] == 5.0
    assert [o["count"] for o in satisfaction["options"]] == [0, 0, 0, 0, 3]
    assert body["free_text_count"] == 3
    assert page["count"] == 3
    assert [item["text"] for item in page["items"]] == ["良かった", "資料がほしい"]
    assert set(body) == {
        "event_id",
        "responses",
        "attendees",
        "response_rate",
        "frozen",
        "questions",
        "free_text_count",
    }
    assert set(page["items"][0]) == {"question_id", "text"}


def test_other_roles_get_404_and_anonymous_401(three_sheets, personas):
    codes = {
        name: client_for(user).get(url(three_sheets)).status_code for name, user in personas.items()
    }

    assert codes == {
        "center": 200,
        "superuser": 200,
        "health_office": 404,
        "municipal": 404,
        "outsider": 404,
    }
    assert client_for(None).get(url(three_sheets)).status_code == 401


def test_bad_limit_is_a_422_naming_it(three_sheets, center_staff):
    response = client_for(center_staff).get(url(three_sheets) + "/free-text?limit=501")

    assert response.status_code == 422
    assert "limit" in str(response.json())


def test_the_operation_is_documented():
    from config.api import api

    operation = api.get_openapi_schema()["paths"]["/api/training/events/{event_id}/survey/results"]

    assert set(operation) == {"get"}
    assert operation["get"]["summary"] == "Questionnaire results of an event (center staff)"
