"""The weekly digest for center staff (notifications/digest.py and the apps' sections)."""

import datetime as dt

import pytest
from django.core import mail

from core.fiscal import TOKYO
from notifications import digest
from notifications.models import Dispatch
from notifications.services import send_due_dispatches
from supervision.services import schedule_visit, set_plan
from tests.attendance.factories import LectureFactory
from tests.supervision.conftest import at, target

pytestmark = pytest.mark.django_db


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


def test_digest_goes_out_on_monday_morning():
    assert digest.digest_moment(dt.date(2027, 10, 4)) == tokyo(2027, 10, 4, 8, 0)


def test_digest_waits_for_the_first_working_day_after_golden_week():
    assert digest.digest_moment(dt.date(2027, 5, 3)) == tokyo(2027, 5, 6, 8, 0)


def test_digest_waits_for_the_first_working_day_after_the_year_end():
    assert digest.digest_moment(dt.date(2029, 1, 1)) == tokyo(2029, 1, 4, 8, 0)


def test_plan_weekly_plans_this_and_next_week_for_center_staff_only(personas):
    digest.plan_weekly(now=tokyo(2027, 10, 4, 7, 0))

    second = digest.plan_weekly(now=tokyo(2027, 10, 4, 7, 5))

    rows = Dispatch.objects.order_by("recipient", "due_at").values_list("recipient", "due_at")
    assert [(r, d.astimezone(TOKYO)) for r, d in rows] == [
        ("center@example.jp", tokyo(2027, 10, 4, 8, 0)),
        ("center@example.jp", tokyo(2027, 10, 12, 8, 0)),  # 10/11 is Sports Day
        ("root@example.jp", tokyo(2027, 10, 4, 8, 0)),
        ("root@example.jp", tokyo(2027, 10, 12, 8, 0)),  # 10/11 is Sports Day
    ]
    assert second == "planned weekly digests: 0 change(s)"


def test_digest_lists_the_week_and_what_needs_staff(center_staff):
    LectureFactory(
        title="今週の研修", label="ウ", starts_at=tokyo(2027, 10, 5, 13, 30), capacity=40
    )
    LectureFactory(title="先週の研修", label="イ", starts_at=tokyo(2027, 9, 30, 13, 30))
    schedule_visit(
        target_id=target("いの町").pk,
        kind="case_meeting",
        starts_at=at("2027-10-06", "10:00"),
        place="いの町保健福祉センター",
        staff_ids=[center_staff.pk],
        confidential_notes="山田さん（仮名）の件",
        actor=center_staff,
    )
    set_plan(target_id=target("須崎市").pk, fiscal_year=2027, planned=5, actor=center_staff)
    digest.plan_weekly(now=tokyo(2027, 10, 2, 12, 0))

    send_due_dispatches(now=tokyo(2027, 10, 4, 8, 0))

    [message] = mail.outbox
    assert message.subject == "今週の予定 令和9年10月4日（月）～令和9年10月10日（日）"
    body = message.body
    assert "令和9年10月5日（火） 13:30 ウ 今週の研修 0/40" in body
    assert (
        "令和9年10月6日（水） 10:00 いの町 ケース会議 @ いの町保健福祉センター (支援 花子)" in body
    )
    assert "令和9年9月30日（木） イ 先週の研修" in body
    assert "須崎市 0/5 (+0)" in body
    assert "西部 0/2 (+0)" in body
    assert "山田" not in body
