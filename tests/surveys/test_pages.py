"""The public answer page (no account) and the center staff's pages: bad input answered in
Japanese with what was typed kept and nothing stored; a used, expired or unknown link; the
results on the event's staff page for center staff only, never naming a person; the
threshold that hides small groups; the XLSX and the PDF."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEntry
from surveys import invitations, services
from surveys.models import Invitation, Response
from tests.attendance.factories import LectureFactory, RosterEntryFactory
from tests.conftest import client_for
from tests.surveys.conftest import full_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(center_staff):
    """A lecture that ended an hour ago, its questionnaire and one invited attendee."""
    now = timezone.now()
    event = LectureFactory(
        starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
    )
    RosterEntryFactory(event=event, status="present", email="a@example.jp", name="受講 一郎")
    survey = services.create_survey(actor=center_staff, event_id=event.pk)
    invitations.plan_due(now=now)
    invitation = Invitation.objects.get()
    return survey, services.invitation_token(invitation)


def test_attendee_answers_once_then_sees_already_answered(finished):
    survey, token = finished
    client = Client()

    page = client.get(f"/surveys/a/{token}/")
    sent = client.post(f"/surveys/a/{token}/", full_answer(survey))
    again = client.get(f"/surveys/a/{token}/")
    twice = client.post(f"/surveys/a/{token}/", full_answer(survey))

    assert page.status_code == 200
    assert "全5問" in page.content.decode()
    assert sent.status_code == 302 and sent["Location"] == "/surveys/thanks/"
    assert "回答済みです" in again.content.decode()
    assert "回答済みです" in twice.content.decode()
    assert Response.objects.count() == 1


def test_bad_answer_keeps_what_was_typed_and_stores_nothing(finished):
    survey, token = finished
    comments = survey.questions.get(code="comments")
    data = full_answer(survey, **{services.field_name(comments): ["長い" * 1001]})
    satisfaction = services.field_name(survey.questions.get(code="satisfaction"))
    data[satisfaction] = ["9"]

    response = Client().post(f"/surveys/a/{token}/", data)

    html = response.content.decode()
    assert response.status_code == 422
    assert "入力内容を確認してください（2件）" in html
    assert "示された選択肢から選んでください。" in html
    assert "2000 文字以内で入力してください。" in html
    assert "長い長い" in html  # what was typed is kept
    assert Response.objects.count() == 0
    assert Invitation.objects.get().used_on is None


def test_nul_in_free_text_is_refused(finished):
    survey, token = finished
    comments = services.field_name(survey.questions.get(code="comments"))

    response = Client().post(f"/surveys/a/{token}/", full_answer(survey, **{comments: ["a\x00"]}))

    assert response.status_code == 422
    assert "保存できない文字（U+0000）を取り除いてください。" in response.content.decode()
    assert Response.objects.count() == 0


def test_expired_and_unknown_links_are_answered_in_japanese(finished):
    survey, token = finished
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    expired = Client().post(f"/surveys/a/{token}/", full_answer(survey))
    unknown = Client().get("/surveys/a/" + "x" * 43 + "/")

    assert expired.status_code == 410
    assert "回答期限は過ぎました" in expired.content.decode()
    assert unknown.status_code == 404
    assert "このリンクは無効です" in unknown.content.decode()
    assert Response.objects.count() == 0


def test_results_are_for_center_staff_and_name_nobody(finished, personas):
    survey, token = finished
    Client().post(f"/surveys/a/{token}/", full_answer(survey))
    url = f"/training/staff/events/{survey.event_id}/"

    pages = {name: client_for(user).get(url) for name, user in personas.items()}

    center = pages["center"].content.decode()
    assert 'id="survey"' in center
    assert "回答 1名／参加 1名" in center
    assert "とても参考になりました" in center
    assert "受講 一郎" not in center.split('id="survey"')[1].split("</section>")[0]
    for name in ("health_office", "municipal"):
        assert 'id="survey"' not in pages[name].content.decode(), name
    assert pages["outsider"].status_code == 404


def test_breakdowns_below_the_threshold_are_hidden(survey, center_staff, center_client):
    for _ in range(5):
        services.enter_paper_sheet(
            actor=center_staff, survey_id=survey.pk, data=full_answer(survey)
        )

    html = center_client.get(f"/training/staff/events/{survey.event_id}/").content.decode()

    groups = html.split('class="muted survey-groups">')[1].split("</p>")[0]
    assert groups == "ウェブ: 5件未満のため表示しません · 紙: 平均 5.0"


def test_hidden_answer_leaves_the_xlsx_and_is_audited(survey, center_staff, center_client):
    kept = services.enter_paper_sheet(
        actor=center_staff, survey_id=survey.pk, data=full_answer(survey)
    )
    comments = services.field_name(survey.questions.get(code="comments"))
    hidden = services.enter_paper_sheet(
        actor=center_staff,
        survey_id=survey.pk,
        data=full_answer(survey, **{comments: ['=HYPERLINK("x")']}),
    )

    center_client.post(
        f"/surveys/staff/{survey.pk}/hidden/", {"response": str(hidden.pk), "hidden": "1"}
    )
    workbook = load_workbook(
        io.BytesIO(center_client.get(f"/surveys/staff/{survey.pk}/results.xlsx").content)
    )

    cells = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert cells[0] == ["質問", "回答", "件数", "割合（％）"]
    assert cells[1] == ["回答数", None, 1, None]
    assert ["ご意見・ご感想", "とても参考になりました", None, None] in cells
    assert not any("HYPERLINK" in str(value) for row in cells for value in row)
    assert AuditEntry.objects.filter(action="surveys.response.hidden").count() == 1
    assert str(kept.pk) not in str(cells)


def test_paper_entry_page_saves_one_sheet_after_another(survey, center_client):
    url = f"/surveys/staff/{survey.pk}/paper/"

    first = center_client.post(url, full_answer(survey))
    second = center_client.post(url, full_answer(survey))
    page = center_client.get(url)

    assert (first.status_code, second.status_code) == (302, 302)
    assert "これまでに紙のアンケートを2枚入力しました。" in page.content.decode()
    assert Response.objects.filter(source="paper").count() == 2


def test_printable_questionnaire_is_a_pdf(survey, center_client):
    response = center_client.get(f"/surveys/staff/{survey.pk}/questionnaire.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_staff_pages_are_404_for_other_roles(survey, health_office_staff):
    client = client_for(health_office_staff)

    codes = [
        client.get(f"/surveys/staff/{survey.pk}/").status_code,
        client.get(f"/surveys/staff/{survey.pk}/results.xlsx").status_code,
        client.post(f"/surveys/staff/{survey.pk}/paper/", full_answer(survey)).status_code,
    ]

    assert codes == [404, 404, 404]
    assert Response.objects.count() == 0


@pytest.mark.parametrize("sheets", [1, 20])
def test_results_section_query_count_is_constant(
    survey, center_staff, center_client, django_assert_num_queries, sheets
):
    for _ in range(sheets):
        services.enter_paper_sheet(
            actor=center_staff, survey_id=survey.pk, data=full_answer(survey)
        )

    # The event page's 7, the survey, its responses, answers and questions, the attendees.
    with django_assert_num_queries(12):
        response = center_client.get(f"/training/staff/events/{survey.event_id}/")

    assert response.status_code == 200
