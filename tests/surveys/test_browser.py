"""The questionnaire's journey in Chromium at a phone's size (390 px), with the loaded demo: an
attendee of a finished demo training (ア, 令和3年7月8日) opens the link from the email, answers,
is thanked and sees 「回答済みです」 on a second visit; center staff enter two paper sheets with
the keyboard, one after another; the event's page and the XLSX show the three answers; with the
report's setting on, the report prints the training's satisfaction. axe-core finds no serious
violation on any page of it, and the charts' text is at least 12 px."""

import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from attendance.models import RosterEntry
from directory.models import User
from notifications.services import send_due_dispatches
from surveys import invitations, services
from tests.axe import assert_no_serious_violations
from tests.conftest import log_in
from training.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map(t =>
  parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""


def choose_highest(page) -> None:
    """Tick 5 on every scale and the first theme, with the keyboard."""
    for fieldset in page.locator("form.survey-form fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        box = radios.last if radios.count() else fieldset.locator("input[type=checkbox]").first
        box.focus()
        page.keyboard.press("Space")


def test_attendee_answers_on_a_phone_and_staff_see_three_answers(live_server, phone_page):
    call_command("load_demo", stdout=io.StringIO())
    event = Event.objects.get(label="ア", starts_at__year=2021, kind="lecture")
    entry = RosterEntry.objects.attended().filter(event=event).order_by("id").first()
    RosterEntry.objects.filter(pk=entry.pk).update(email="trainee@example.jp")
    staff = User.objects.get(username="center")
    survey = services.create_survey(actor=staff, event_id=event.pk)
    invitations.invite_attendees(survey, now=timezone.now())
    send_due_dispatches(now=timezone.now())
    body = next(m.body for m in mail.outbox if "trainee@example.jp" in m.to[0])
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/surveys/a/\S+/)", body).group(1)
    page = phone_page

    page.goto(f"{live_server.url}{link}")
    assert_no_serious_violations(page, context="answer form")
    with page.expect_navigation():
        page.locator("form.survey-form button[type=submit]").click()  # nothing chosen yet
    assert page.locator(".error-summary").is_visible()
    assert_no_serious_violations(page, context="answer form with errors")
    choose_highest(page)
    page.locator("textarea").fill("具体的で分かりやすかった")
    with page.expect_navigation():
        page.locator("form.survey-form button[type=submit]").click()
    assert page.locator("#thanks").is_visible()
    assert_no_serious_violations(page, context="thanks")
    page.goto(f"{live_server.url}{link}")
    assert "回答済みです" in page.locator("#refused").inner_text()

    log_in(page, live_server, "center", "sasaeru-demo")
    for _sheet in range(2):
        page.goto(f"{live_server.url}/surveys/staff/{survey.pk}/paper/")
        choose_highest(page)
        page.locator("form.survey-form button[type=submit]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert (
        page.locator("#paper-count").inner_text() == "これまでに紙のアンケートを2枚入力しました。"
    )
    assert_no_serious_violations(page, context="paper entry")

    page.goto(f"{live_server.url}/training/staff/events/{event.pk}/")
    section = page.locator("#survey")
    assert section.locator("#survey-rate").inner_text() == "回答 3名／参加 89名 （回答率 3％）"
    assert "具体的で分かりやすかった" in section.inner_text()
    assert "5（高い）：3（100％）" in section.locator("svg.chart desc").first.text_content()
    assert page.evaluate(SMALLEST_TEXT) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_no_serious_violations(page, context="results")
    xlsx = page.request.get(f"{live_server.url}/surveys/staff/{survey.pk}/results.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.body())).active
    assert [c.value for c in sheet[2]] == ["回答数", None, 3, None]

    page.goto(f"{live_server.url}/reports/2021/settings/")
    page.locator("#id_survey_satisfaction").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/reports/2021/")
    assert (
        "満足度：満足・やや満足 100％（回答 3名／参加 89名）" in page.locator("main").inner_text()
    )
