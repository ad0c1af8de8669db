"""Another prefecture starts from the shipped source: 徳島県 (24 municipalities) with its own
districts and blocks from CSV files and its own center's profile. Visits are planned and done,
and every page, email, PDF and feed this produces carries the Tokushima center and nothing of
Kochi (the default data)."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from attendance import documents
from attendance import services as attendance
from core import center as core_center
from core.fiscal import TOKYO
from directory import area_files
from directory.center import update_profile
from directory.models import Municipality
from feeds.services import issue_subscription
from notifications.services import send_due_dispatches
from reports.fiscal_year import build_report
from reports.sections import render_text
from supervision import services as supervision
from supervision.models import Target
from supervision.queries import case_meeting_goal, progress
from tests.conftest import client_for
from tests.factories import ContactFactory
from tests.test_prefectures import TOKUSHIMA_BLOCKS, TOKUSHIMA_DISTRICTS
from tests.training.factories import EventFactory
from training.models import Registration

pytestmark = pytest.mark.django_db

CENTER = "徳島県ひきこもり地域支援センター"
KOCHI = ("高知", "こうち", "Kochi")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TOKYO)


def nothing_of_kochi(text: str, where: str) -> None:
    found = [word for word in KOCHI if word in text]
    assert not found, f"{where} names {found}"


@pytest.fixture
def tokushima(db):
    call_command("setup_prefecture", "徳島県", stdout=io.StringIO())
    area_files.import_areas(
        districts=TOKUSHIMA_DISTRICTS.encode(), blocks=TOKUSHIMA_BLOCKS.encode()
    )
    update_profile(
        by=None,
        prefecture="徳島県",
        name=CENTER,
        short_name="ひきこもり支援センター",
        phone="088-000-0000",
        fax="088-000-0001",
        email="center@tokushima.example",
        address="徳島市（テスト）",
    )


def test_a_tokushima_center_runs_its_year_without_a_trace_of_kochi(
    tokushima, center_staff, django_capture_on_commit_callbacks
):
    assert Municipality.objects.count() == 24
    assert core_center.current().name == CENTER
    naruto = Municipality.objects.get(name="鳴門市")
    assert (naruto.district.office_name, naruto.block.name) == ("徳島保健所", "東部")
    ContactFactory(municipality=naruto, name="鳴門 一郎", email="naruto@example.jp")
    target = Target.objects.get(municipality=naruto)

    # Plan and complete visits (FY2027).
    supervision.set_plan(target_id=target.pk, fiscal_year=2027, planned=2, actor=center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        visit = supervision.schedule_visit(
            target_id=target.pk,
            kind="case_meeting",
            starts_at=at("2027-05-06", "13:30"),
            place="鳴門市役所",
            staff_ids=[center_staff.pk],
            actor=center_staff,
        )
    supervision.complete_visit(
        visit_id=visit.pk,
        public_summary="ケース会議",
        actor=center_staff,
        now=at("2027-05-06", "16:00"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        supervision.schedule_visit(
            target_id=target.pk, kind="supervision", starts_at=at("2027-09-01"), actor=center_staff
        )

    [row] = progress(fiscal_year=2027, as_of=dt.date(2027, 5, 31))
    assert (row.name, row.planned, row.done, row.scheduled) == ("鳴門市", 2, 1, 1)
    goal = case_meeting_goal(fiscal_year=2027)
    assert (goal.count, goal.total) == (1, 24)

    # A training with a registration from the public page, its roster, sheet and certificate.
    event = EventFactory(
        title="ひきこもり支援者養成研修",
        venue="徳島県立総合福祉センター",
        starts_at=at("2027-06-10", "13:30"),
        ends_at=at("2027-06-10", "16:00"),
    )
    public = Client()
    with django_capture_on_commit_callbacks(execute=True):
        posted = public.post(
            f"/training/events/{event.pk}/",
            {
                "name": "阿波 花子",
                "kana": "あわ はなこ",
                "email": "hanako@example.jp",
                "affiliation_type": "municipal",
                "municipality": naruto.pk,
                "organization": "鳴門市",
                "job_title": "保健師",
                "language": "ja",
            },
        )
    assert posted.status_code == 302, posted.content.decode()[-3000:]
    registration = Registration.objects.get(email="hanako@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        public.post(f"/training/confirm/{registration.confirmation_token}/")
    attendance.build_roster(event=event, user=center_staff)
    entry = event.roster_entries.get()
    attendance.record_attendance(
        entry=entry, status="present", user=center_staff, now=at("2027-06-10", "13:00")
    )
    send_due_dispatches(now=at("2027-06-09", "12:00"))

    staff = client_for(center_staff)
    pages = {
        "home": staff.get("/"),
        "public home": Client().get("/"),
        "public trainings": Client().get("/training/"),
        "dashboard": staff.get("/supervision/?fy=2027&as_of=2027-05-31"),
        "case meetings": staff.get("/supervision/case-meetings/?fy=2027"),
        "target": staff.get(f"/supervision/targets/{target.pk}/?fy=2027"),
        "report": staff.get("/reports/2027/?as_of=2027-05-31"),
        "report text": staff.get("/reports/2027/report.txt?as_of=2027-05-31"),
        "profile": staff.get("/account/center/"),
        "areas": staff.get("/account/areas/"),
        "districts file": staff.get("/account/areas/districts.csv"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        text = response.content.decode()
        if where == "profile":  # the choice of Japan's 47 prefectures names them all
            text = re.sub(r'<select name="prefecture".*?</select>', "", text, flags=re.S)
        nothing_of_kochi(text, where)
    for where in ("home", "public home", "public trainings", "dashboard", "report", "profile"):
        assert CENTER in pages[where].content.decode(), where
    assert "088-000-0000" in pages["public home"].content.decode()
    assert "1 / 24" in pages["case meetings"].content.decode()
    assert "鳴門市（１／２回）" in pages["report text"].content.decode()
    assert "／24市町村" in pages["report text"].content.decode()
    assert "1 / 24" in pages["case meetings"].content.decode()
    report = render_text(build_report(fiscal_year=2027, as_of=dt.date(2027, 5, 31)))
    nothing_of_kochi(report, "report")
    assert CENTER in report.splitlines()[0]
    assert CENTER in pages["report text"].content.decode()

    # Emails: the visit notice to the contact, the registration's emails, the reminders.
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        nothing_of_kochi(message.subject + message.body, f"email {message.subject}")
        assert CENTER in message.body, message.subject
        assert "088-000-0000" in message.body, message.subject

    # PDFs: the sign-in sheet and the certificate name the center as the issuer.
    if documents.FONT_PATH.is_file():
        staff.post(f"/attendance/entries/{entry.pk}/certificate.pdf")
        for url in (
            f"/attendance/events/{event.pk}/sign-in-sheet.pdf",
            f"/attendance/entries/{entry.pk}/certificate.pdf",
        ):
            response = staff.get(url)
            assert response.status_code == 200, url
            reader = PdfReader(io.BytesIO(response.content))
            text = "".join(page.extract_text() for page in reader.pages)
            nothing_of_kochi(text + str(reader.metadata), url)
            assert CENTER in text.replace(" ", ""), url

    # Feeds: the public calendar and the municipality's secret link.
    _subscription, token = issue_subscription(target=naruto, label="鳴門市", issued_by=center_staff)
    for url in ("/calendar/trainings.ics", f"/calendar/s/{token}.ics"):
        response = Client().get(url)
        assert response.status_code == 200, url
        body = response.content.decode().replace("\r\n ", "")
        nothing_of_kochi(body, url)
    public_feed = Client().get("/calendar/trainings.ics").content.decode().replace("\r\n ", "")
    assert f"X-WR-CALNAME:{CENTER}" in public_feed
