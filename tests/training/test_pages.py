import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.fiscal import fiscal_year_of
from tests.conftest import client_for
from tests.factories import municipality
from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

FORM = {
    "name": "高知 花子",
    "kana": "こうち はなこ",
    "email": "hanako@example.jp",
    "affiliation_type": "welfare_commissioner",
    "organization": "民生委員児童委員協議会",
    "job_title": "民生委員",
    "language": "ja",
}


def test_public_list_is_japanese_and_shows_seats_left(db):
    event = EventFactory(capacity=5, title="ひきこもりに関する理解と支援")
    RegistrationFactory(event=event)
    EventFactory(status="draft", title="下書きの研修")

    page = Client().get("/training/").content.decode()

    assert "ひきこもりに関する理解と支援" in page
    assert "残り4席" in page
    assert "下書きの研修" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_public_list_query_count_is_constant(db, django_assert_num_queries, rows):
    EventFactory.create_batch(rows)

    with django_assert_num_queries(1):
        response = Client().get("/training/")

    assert response.status_code == 200


def test_register_on_the_page_confirm_and_see_the_status(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/training/events/{event.pk}/", {**FORM, "municipality": municipality("いの町").pk}
        )
    registration = Registration.objects.get(email="hanako@example.jp")
    confirm_page = client.get(f"/training/confirm/{registration.confirmation_token}/")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/training/confirm/{registration.confirmation_token}/")
    manage_page = client.get(confirmed.url).content.decode()

    assert response.status_code == 302
    assert confirm_page.status_code == 200
    assert confirmed.url == f"/training/r/{registration.management_token}/"
    assert "キャンセル待ち" in manage_page
    assert "現在1番目です。" in manage_page
    # What happens next: a seat that opens is emailed.
    assert "メールでお知らせします" in manage_page
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "申込の確認をお願いします",
        "キャンセル待ちに登録しました",
    ]


def test_form_errors_are_japanese_and_nothing_is_written(event):
    response = Client().post(f"/training/events/{event.pk}/", {**FORM, "email": "bad"})

    assert response.status_code == 422
    assert "有効なメールアドレスを入力してください。" in response.content.decode()
    assert Registration.objects.count() == 0


def test_duplicate_on_the_page_answers_as_a_new_registration(event):
    RegistrationFactory(event=event, email="hanako@example.jp")

    response = Client().post(f"/training/events/{event.pk}/", FORM)

    assert (response.status_code, response.url) == (302, f"/training/events/{event.pk}/registered/")
    assert Registration.objects.count() == 1


def test_used_confirmation_link_says_so(event):
    registration = RegistrationFactory(event=event)

    response = Client().get("/training/confirm/not-a-token/")

    assert response.status_code == 404
    assert "無効か、すでに使用されています" in response.content.decode()
    assert registration.status == "confirmed"


def test_manage_page_cancels_and_promotes_the_next(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/training/r/{seated.management_token}/cancel/")

    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "キャンセル待ちから参加確定になりました",
        "申込をキャンセルしました",
    ]


def test_manage_page_with_a_wrong_token_is_404(db):
    assert Client().get("/training/r/nope/").status_code == 404


def test_ics_download_has_a_stable_uid_and_no_join_link(db):
    event = EventFactory(kind="online_lecture", venue="", join_url="https://meet.example/secret")
    registration = RegistrationFactory(event=event)

    response = Client().get(f"/training/r/{registration.management_token}/event.ics")

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:{registration.ical_uid}" in body.replace("\r\n ", "")
    assert "METHOD:REQUEST" in body
    assert "secret" not in body


def test_join_redirects_only_in_the_window_and_only_confirmed(db):
    now = timezone.now()
    event = EventFactory(
        kind="online_lecture",
        join_url="https://meet.example/room",
        starts_at=now + dt.timedelta(minutes=20),
        ends_at=now + dt.timedelta(hours=2),
    )
    later = EventFactory(kind="online_lecture", join_url="https://meet.example/later")
    confirmed = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")
    early = RegistrationFactory(event=later)

    answers = [
        Client().get(f"/training/r/{r.management_token}/join/")["Location"]
        for r in (confirmed, waiting, early)
    ]
    page = Client().get(f"/training/r/{confirmed.management_token}/").content.decode()

    assert answers == [
        "https://meet.example/room",
        f"/training/r/{waiting.management_token}/",
        f"/training/r/{early.management_token}/",
    ]
    assert "meet.example" not in page


def test_public_pages_never_show_the_join_link(db):
    event = EventFactory(kind="online_lecture", join_url="https://meet.example/secret")

    pages = [Client().get(url).content.decode() for url in ["/training/", event.get_absolute_url()]]

    assert ["secret" in page for page in pages] == [False, False]


# --- staff -------------------------------------------------------------------------------


def test_staff_pages_404_for_the_outsider_and_login_for_anonymous(outsider, event):
    urls = ["/training/staff/", f"/training/staff/events/{event.pk}/"]

    outsider_statuses = [client_for(outsider).get(url).status_code for url in urls]
    anonymous = [Client().get(url).status_code for url in urls]

    assert outsider_statuses == [404, 404]
    assert anonymous == [302, 302]


@pytest.mark.parametrize("rows", [1, 50])
def test_staff_event_list_query_count_is_constant(center_staff, django_assert_num_queries, rows):
    EventFactory.create_batch(rows)
    client = client_for(center_staff)

    url = f"/training/staff/?fy={fiscal_year_of(Event.objects.first().starts_at)}"

    with django_assert_num_queries(3):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_staff_event_page_query_count_is_constant(center_staff, django_assert_num_queries, rows):
    event = EventFactory(capacity=None)
    RegistrationFactory.create_batch(rows, event=event)
    client = client_for(center_staff)

    # 6, the 変更履歴 section (one query for the event's and its registrations' entries) and
    # the questionnaire section (one query: the event has none).
    with django_assert_num_queries(8):
        response = client.get(f"/training/staff/events/{event.pk}/")

    assert response.status_code == 200


def test_staff_enter_a_fax_registration_without_email(center_staff, event):
    response = client_for(center_staff).post(
        f"/training/staff/events/{event.pk}/registrations/new/",
        {**FORM, "email": "", "phone": "0880-00-0000", "source": "fax"},
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert (registration.status, registration.source, registration.email) == (
        "confirmed", "fax", "",
    )  # fmt: skip


def test_staff_promote_after_the_cutoff(center_staff, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1, starts_at=timezone.now() + dt.timedelta(hours=30))
    seated = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")
    client = client_for(center_staff)

    client.post(f"/training/staff/registrations/{seated.pk}/cancel/")
    waiting.refresh_from_db()
    still_waiting = waiting.status
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/staff/registrations/{waiting.pk}/promote/")

    waiting.refresh_from_db()
    assert (still_waiting, waiting.status) == ("waitlisted", "confirmed")
    assert [sent_to(m) for m in mail.outbox] == [waiting.email]


def test_csv_export_has_a_bom_and_japanese(center_staff):
    event = EventFactory(capacity=1, join_url="https://meet.example/secret")
    RegistrationFactory(event=event, name="高知 花子", municipality=municipality("いの町"))
    RegistrationFactory(event=event, name="土佐 次郎", status="waitlisted")

    response = client_for(center_staff).get(f"/training/staff/events/{event.pk}/registrations.csv")

    content = response.content.decode("utf-8")
    lines = content.splitlines()
    assert content.startswith("\ufeff")
    assert lines[0].lstrip("\ufeff").split(",")[:3] == ["状態", "キャンセル待ち順位", "氏名"]
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["参加確定", "", "高知 花子"],
        ["キャンセル待ち", "1", "土佐 次郎"],
    ]
    assert "secret" not in content


def test_csv_export_keeps_a_formula_typed_as_a_name_as_text(center_staff):
    event = EventFactory()
    RegistrationFactory(
        event=event,
        name='=HYPERLINK("http://evil.example","x")',
        organization="+cmd",
        job_title="@SUM(1)",
    )

    response = client_for(center_staff).get(f"/training/staff/events/{event.pk}/registrations.csv")

    row = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig").splitlines()[1])))
    assert row[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert (row[7], row[9]) == ("'+cmd", "'@SUM(1)")


def test_csv_export_is_refused_to_other_roles(health_office_staff, event):
    response = client_for(health_office_staff).get(
        f"/training/staff/events/{event.pk}/registrations.csv"
    )

    assert response.status_code == 403


def test_staff_create_event_with_end_before_start_is_a_japanese_error(center_staff):
    response = client_for(center_staff).post(
        "/training/staff/events/new/",
        {
            "title": "講義",
            "kind": "lecture",
            "starts_at": "2030-05-01T13:00",
            "ends_at": "2030-05-01T12:00",
            "capacity": "30",
            "promotion_cutoff_hours": "48",
        },
    )

    assert response.status_code == 422
    assert "終了日時は開始日時より後にしてください。" in response.content.decode()
    assert Event.objects.count() == 0


def test_staff_event_form_runs_the_model_validation(center_staff):
    response = client_for(center_staff).post(
        "/training/staff/events/new/",
        {
            "title": "講義",
            "kind": "lecture",
            "starts_at": "2030-05-01T13:00",
            "ends_at": "2030-05-01T15:00",
            "capacity": str(2**63),  # beyond what the column holds on either database
            "promotion_cutoff_hours": "48",
        },
    )

    assert response.status_code == 422
    assert "capacity" in response.context["form"].errors
    assert Event.objects.count() == 0


def test_staff_create_publish_and_cancel_an_event(center_staff, django_capture_on_commit_callbacks):
    client = client_for(center_staff)

    client.post(
        "/training/staff/events/new/",
        {
            "title": "ひきこもりケースのアセスメント",
            "kind": "online_lecture",
            "starts_at": "2030-05-01T13:30",
            "ends_at": "2030-05-01T15:30",
            "capacity": "100",
            "join_url": "https://meet.example/r",
            "audiences": ["municipal", "medical"],
            "promotion_cutoff_hours": "24",
        },
    )
    event = Event.objects.get()
    client.post(f"/training/staff/events/{event.pk}/publish/")
    RegistrationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/staff/events/{event.pk}/cancel/")

    event.refresh_from_db()
    assert (event.status, event.audiences, event.promotion_cutoff) == (
        "cancelled", ["municipal", "medical"], dt.timedelta(hours=24),
    )  # fmt: skip
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]


def test_staff_course_pages(center_staff):
    client = client_for(center_staff)

    client.post("/training/staff/courses/new/", {"fiscal_year": 2021, "title": "令和3年度 研修"})
    page = client.get("/training/staff/courses/").content.decode()

    assert "令和3年度 研修" in page


def test_staff_event_page_lists_every_email_of_the_event(
    center_staff, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event, name="高知 花子")
    RegistrationFactory(event=event, status="waitlisted", name="土佐 次郎")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/training/r/{seated.management_token}/cancel/")

    page = client_for(center_staff).get(f"/training/staff/events/{event.pk}/").content.decode()
    api = client_for(center_staff).get(f"/api/training/events/{event.pk}/emails").json()

    assert sorted((row["kind"], row["state"]) for row in api["items"]) == [
        ("training.cancelled", "sent"),
        ("training.event_reminder", "pending"),  # the promoted person's, 3 and 1 days before
        ("training.event_reminder", "pending"),
        ("training.promoted", "sent"),
    ]
    assert f"キャンセル待ちから参加確定になりました: {event}" in page


def test_cancelled_event_page_says_so_and_takes_no_registration(event):
    Event.objects.filter(pk=event.pk).update(status="cancelled")

    page = Client().get(event.get_absolute_url())
    posted = Client().post(event.get_absolute_url(), FORM)

    assert page.status_code == 200
    assert "この研修・行事は中止になりました。" in page.content.decode()
    assert '<form method="post" class="form"' not in page.content.decode()
    assert posted.status_code == 422
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("rows", [1, 50])
def test_staff_course_list_query_count_is_constant(center_staff, django_assert_num_queries, rows):
    from training.models import Course

    Course.objects.bulk_create([Course(fiscal_year=2021, title=f"研修{n}") for n in range(rows)])
    client = client_for(center_staff)

    with django_assert_num_queries(3):
        response = client.get("/training/staff/courses/")

    assert response.status_code == 200


def test_staff_add_a_lecturer_and_a_part_on_the_pages(center_staff, event):
    client = client_for(center_staff)

    client.post("/training/staff/lecturers/new/",
                {"name": "近藤 直司", "kana": "こんどう なおじ",
                 "affiliation": "大正大学心理社会学部臨床心理学科", "title": "教授",
                 "honorific": "教授", "print_style": "name"})  # fmt: skip
    from training.models import Lecturer

    kondo = Lecturer.objects.get()
    client.post(f"/training/staff/events/{event.pk}/parts/new/",
                {"kind": "lecture", "title": "ひきこもりケースのアセスメント",
                 "lecturers": [kondo.pk]})  # fmt: skip
    page = Client().get(event.get_absolute_url()).content.decode()

    assert "講師: 近藤　直司教授（大正大学心理社会学部臨床心理学科）" in page


def test_staff_assign_center_staff_to_an_event(center_staff, event):
    client = client_for(center_staff)
    form = client.get(f"/training/staff/events/{event.pk}/edit/").content.decode()

    client.post(
        f"/training/staff/events/{event.pk}/edit/",
        {
            "title": event.title,
            "kind": event.kind,
            "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "venue": event.venue,
            "capacity": "30",
            "promotion_cutoff_hours": "48",
            "staff": [center_staff.pk],
        },
    )

    event.refresh_from_db()
    assert "支援 花子" in form
    assert (list(event.staff.all()), event.sequence) == ([center_staff], 0)
