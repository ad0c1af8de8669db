"""Done when (issue #20): 徳島県 and 北海道 set up on a freshly migrated database as the README
says (setup_prefecture, the first center user by command), then every page, PDF, export, feed
and email a center user and the public reach, every kind of mail rendered from real rows, and
the (read-only) admin's pages as a superuser sees them, before and after the districts are
imported: no server error and none of Kochi's words."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from attendance.models import RosterEntry
from directory import area_files, sources
from directory.models import Municipality, User
from feeds.services import issue_subscription
from notifications.registry import all_kinds
from notifications.services import send_due_dispatches
from supervision import services as supervision
from supervision.models import Target, Visit
from surveys import services as surveys
from surveys.invitations import invite_attendees
from surveys.models import Invitation
from tests.crawl import Crawl, every_mail, kochi_words_in
from tests.factories import ContactFactory
from tests.test_prefectures import TOKUSHIMA_BLOCKS, TOKUSHIMA_DISTRICTS
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

HOKKAIDO_OFFICES = ("石狩", "渡島", "上川", "オホーツク", "十勝", "釧路", "根室")


def hokkaido_files() -> tuple[str, str]:
    """Seven districts for the 179 municipalities (札幌市 its own), three blocks."""
    codes = [m.code for m in sources.municipalities_of(sources.find_prefecture("北海道"))]
    lines = ["district,municipality_code", f"札幌市保健所,{codes[0]}"]
    for n, code in enumerate(codes[1:]):
        lines.append(f"{HOKKAIDO_OFFICES[n % len(HOKKAIDO_OFFICES)]}保健所,{code}")
    blocks = ["block,district", "道央,札幌市保健所"]
    for n, office in enumerate(HOKKAIDO_OFFICES):
        blocks.append(f"{('道央', '道南', '道北', '道東')[n % 4]},{office}保健所")
    return "\n".join(lines) + "\n", "\n".join(blocks) + "\n"


FILES = {
    "徳島県": lambda: (TOKUSHIMA_DISTRICTS, TOKUSHIMA_BLOCKS),
    "北海道": hokkaido_files,
}


def start_pages(event, registration, token) -> list[str]:
    fy = timezone.localdate().year - (timezone.localdate().month < 4)
    return [
        "/",
        "/training/",
        f"/training/events/{event.pk}/",
        f"/training/r/{registration.management_token}/",
        "/supervision/",
        "/supervision/case-meetings/",
        "/supervision/visits/new/",
        "/attendance/",
        f"/reports/{fy}/",
        f"/reports/{fy}/report.txt",
        f"/reports/{fy}/report.pdf",
        f"/reports/{fy}/report.xlsx",
        f"/api/reports/fiscal-year/{fy}",
        "/calendar/",
        "/calendar/trainings.ics",
        f"/calendar/s/{token}.ics",
        "/account/center/",
        "/account/areas/",
        "/api/directory/municipalities",
        "/admin/directory/user/add/",
    ]


def crawl(user, starts) -> Crawl:
    staff = Client(raise_request_exception=False)
    staff.force_login(user)
    return Crawl(staff).run(*starts)


@pytest.mark.parametrize("prefecture", ["徳島県", "北海道"])
def test_a_new_prefecture_from_the_readme_meets_no_server_error_and_nothing_of_kochi(
    prefecture, monkeypatch, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    call_command("setup_prefecture", prefecture, stdout=out)
    assert "/account/areas/" in out.getvalue() and "/account/center/" in out.getvalue()
    assert "create_center_user" in out.getvalue()
    monkeypatch.setenv("SASAERU_PASSWORD", "a-long-first-password")
    call_command(
        "create_center_user", "first", "--email", "first@example.jp", "--no-input", stdout=out
    )
    user = User.objects.get(username="first")
    assert user.is_center_staff and user.check_password("a-long-first-password")

    # A training with a registration, a planned and a scheduled visit, a secret feed link.
    first = Municipality.objects.order_by("order", "id").first()
    ContactFactory(municipality=first, name="担当 一郎", email="tanto@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(title="支援者養成研修", venue="県民会館", audiences=["municipal"])
        registration = RegistrationFactory(event=event, name="新 花子", municipality=first)
        target = Target.objects.get(municipality=first)
        fy = timezone.localdate().year - (timezone.localdate().month < 4)
        supervision.set_plan(target_id=target.pk, fiscal_year=fy, planned=2, actor=user)
        supervision.schedule_visit(
            target_id=target.pk,
            kind="case_meeting",
            starts_at=timezone.now() + dt.timedelta(days=3),
            staff_ids=[user.pk],
            actor=user,
        )
    with django_capture_on_commit_callbacks(execute=True):  # the public form's emails
        posted = Client().post(
            f"/training/events/{event.pk}/",
            {
                "name": "申込 花子",
                "kana": "もうしこみ はなこ",
                "email": "hanako@example.jp",
                "affiliation_type": "municipal",
                "municipality": first.pk,
                "organization": first.name,
                "language": "ja",
            },
        )
    assert posted.status_code == 302, posted.content.decode()[-2000:]
    send_due_dispatches(now=event.starts_at - dt.timedelta(days=1))
    _subscription, token = issue_subscription(target=first, label=first.name, issued_by=user)
    starts = start_pages(event, registration, token)
    waitlisted = RegistrationFactory(
        event=event, name="待機 花子", status=Registration.Status.WAITLISTED
    )
    # A held lecture with an attendee and its questionnaire: the survey mails and pages.
    held = EventFactory(
        title="終了した研修",
        venue="県民会館",
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=2),
        registration_opens_at=timezone.now() - dt.timedelta(days=20),
    )
    RosterEntry.objects.create(
        event=held, source="walk_in", name="出席 一郎", email="ichiro@example.jp",
        affiliation_type="municipal", status="present",
    )  # fmt: skip
    survey = surveys.create_survey(actor=user, event_id=held.pk)
    invite_attendees(survey)
    rows = {
        Registration: registration,
        Event: event,
        Visit: Visit.objects.get(),
        User: user,
        Invitation: survey.invitations.get(),
    }
    admin = User.objects.create_superuser("root", "root@example.jp", "a-long-admin-password")

    for state in ("before districts", "after districts"):
        if state == "after districts":
            districts, blocks = FILES[prefecture]()
            area_files.import_areas(districts=districts.encode(), blocks=blocks.encode())
        public = Client(raise_request_exception=False)
        for who, result in (
            ("center", crawl(user, starts)),
            ("public", Crawl(public).run("/", "/training/", f"/training/events/{event.pk}/")),
        ):
            assert not result.errors, f"{prefecture} {state} {who}: 500 on {result.errors}"
            assert not result.hits, f"{prefecture} {state} {who}: Kochi's words {result.hits}"
            assert len(result.seen) > (60 if who == "center" else 4), sorted(result.seen)
        admin_crawl = crawl(admin, ["/admin/"])
        assert not admin_crawl.errors, f"{prefecture} {state} admin: 500 on {admin_crawl.errors}"
        assert not admin_crawl.hits, f"{prefecture} {state} admin: Kochi's words {admin_crawl.hits}"
        assert len([url for url in admin_crawl.seen if url.startswith("/admin/")]) > 40
        mails = every_mail(rows, waitlisted=waitlisted)
        assert set(mails) == {kind.code for kind in all_kinds()}
        failed = {code: text for code, text in mails.items() if text.startswith("ERROR")}
        assert not failed, f"{prefecture} {state} mails: {failed}"
        hits = {code: kochi_words_in(text) for code, text in mails.items()}
        assert not any(hits.values()), f"{prefecture} {state} mails: Kochi's words {hits}"

    assert len(mail.outbox) >= 2, [m.subject for m in mail.outbox]  # visit notice, confirmation
    for message in mail.outbox:
        assert not kochi_words_in(message.subject + message.body), message.subject
