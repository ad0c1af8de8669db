import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import iri_to_uri
from openpyxl import load_workbook
from pypdf import PdfReader

from attendance import documents, services
from attendance.models import Certificate, RosterEntry
from tests.attendance.factories import LectureFactory, RosterEntryFactory, TraineeFactory
from tests.conftest import client_for
from tests.factories import municipality

pytestmark = pytest.mark.django_db

needs_font = pytest.mark.skipif(not documents.FONT_PATH.is_file(), reason="no fonts-ipaexfont")


@pytest.mark.parametrize(
    ("role", "status"),
    [("center", 200), ("health_office", 403), ("municipal", 403), ("outsider", 404)],
)
def test_roster_page_is_for_center_staff(personas, event, role, status):
    response = client_for(personas[role]).get(f"/attendance/events/{event.id}/")

    assert response.status_code == status


def test_roster_page_sends_anonymous_visitors_to_login(event):
    response = Client().get(f"/attendance/events/{event.id}/")

    assert (response.status_code, response.url) == (
        302, f"/login/?next=/attendance/events/{event.id}/",
    )  # fmt: skip


def test_check_in_without_javascript_searches_and_records(center_staff, event):
    yamada = RosterEntryFactory(event=event, name="山田 太郎", kana="ヤマダ タロウ")
    RosterEntryFactory(event=event, name="佐藤 花子", kana="さとう はなこ")
    client = client_for(center_staff)
    url = f"/attendance/events/{event.id}/check-in/?q=やまだ"

    page = client.get(url)
    tapped = client.post(
        f"/attendance/entries/{yamada.id}/status/", {"status": "present", "next": url}
    )

    yamada.refresh_from_db()
    assert [entry.name for entry, _text in page.context["rows"]] == ["山田 太郎"]
    assert (tapped.status_code, tapped.url, yamada.status) == (302, iri_to_uri(url), "present")


def test_change_on_a_closed_roster_without_reason_is_refused_on_the_page(center_staff, event):
    entry = RosterEntryFactory(event=event)
    services.close_roster(event=event, user=center_staff)
    client = client_for(center_staff)

    response = client.post(
        f"/attendance/entries/{entry.id}/status/", {"status": "present"}, follow=True
    )

    entry.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [
        "出欠簿は締め切られています。変更の理由を入力してください。"
    ]
    assert entry.status == "expected"


def test_paper_sheet_marks_the_ticked_people(center_staff, event):
    entries = [RosterEntryFactory(event=event) for _ in range(4)]

    response = client_for(center_staff).post(
        f"/attendance/events/{event.id}/paper/",
        {"entries": [entries[0].id, entries[2].id], "status": "present"},
    )

    assert response.status_code == 302
    assert list(RosterEntry.objects.order_by("id").values_list("status", flat=True)) == [
        "present", "expected", "present", "expected",
    ]  # fmt: skip


def test_duplicate_walk_in_shows_a_japanese_error_under_the_name(center_staff, event):
    RosterEntryFactory(event=event, name="飛込 花子", organization="須崎市")
    form = {"name": "飛込 花子", "organization": "須崎市", "affiliation_type": "other"}

    response = client_for(center_staff).post(f"/attendance/events/{event.id}/walk-in/", form)

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["飛込 花子（同じ所属）はすでに名簿にあります。"]
    }
    assert RosterEntry.objects.count() == 1


def test_import_page_rejects_a_bad_file_with_lines_and_reasons(center_staff, online_event):
    data = (
        "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）\n"
        "山田 太郎,,2021/07/08 15:00:00,2021/07/08 14:00:00,60\n"
        "佐藤 花子,,2021/07/08 14:00:00,2021/07/08 15:00:00,-3\n"
    ).encode("cp932")

    response = client_for(center_staff).post(
        f"/attendance/events/{online_event.id}/import/", {"file": SimpleUploadedFile("z.csv", data)}
    )

    assert response.context["form"].errors == {
        "file": [
            "2行目: 退出時刻が参加時刻より前です（2021/07/08 15:00:00 → 2021/07/08 14:00:00）。",
            "3行目: 「-3」は分単位の時間ではありません。",
        ]
    }


def test_import_page_shows_the_detected_format_and_unmatched_rows(center_staff, online_event):
    RosterEntryFactory(event=online_event, name="山田 太郎", email="taro@example.jp")
    data = (
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        b"Taro,taro@example.jp,07/08/2021 01:30:00 PM,07/08/2021 04:00:00 PM,150\n"
        b"Guest Lecturer,,07/08/2021 01:30:00 PM,07/08/2021 04:00:00 PM,150\n"
    )
    client = client_for(center_staff)

    response = client.post(
        f"/attendance/events/{online_event.id}/import/",
        {"file": SimpleUploadedFile("z.csv", data)},
        follow=True,
    )

    assert "判定した形式: Zoom 参加者レポート（英語）（UTF-8）、2行。" in response.content.decode()
    assert [a.name for a in response.context["unmatched"]] == ["Guest Lecturer"]
    assert RosterEntry.objects.get().status == "present"


@needs_font
def test_sign_in_sheet_pdf_is_in_kana_order(center_staff, event):
    for name, kana in [
        ("渡辺 一", "わたなべ"),
        ("安部 二", "あべ"),
        ("後藤 三", "ごとう"),
        ("加藤 四", "かとう"),
    ]:
        RosterEntryFactory(event=event, name=name, kana=kana)

    response = client_for(center_staff).get(f"/attendance/events/{event.id}/sign-in-sheet.pdf")

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    names = [
        line for line in text.splitlines() if line in {"渡辺 一", "安部 二", "後藤 三", "加藤 四"}
    ]
    assert response["Content-Type"] == "application/pdf"
    assert names == ["安部 二", "加藤 四", "後藤 三", "渡辺 一"]
    assert "令和3年7月8日（木） 13:30～16:00" in text


def test_roster_csv_opens_in_excel_with_japanese(center_staff, event):
    RosterEntryFactory(
        event=event, name="山田 太郎", kana="やまだ たろう", organization="須崎市", status="present"
    )

    response = client_for(center_staff).get(f"/attendance/events/{event.id}/roster.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content[3:].decode().split("\r\n")
    assert (
        lines[0] == "No.,氏名,ふりがな,所属種別,所属,市町村,職種,出欠,受付時刻,参加時間（分）,区分"
    )
    assert lines[1].startswith("1,山田 太郎,やまだ たろう,民生委員,須崎市,須崎市,,出席,")


def test_roster_xlsx_has_the_roster(center_staff, event):
    RosterEntryFactory(event=event, name="山田 太郎", kana="やまだ たろう")

    response = client_for(center_staff).get(f"/attendance/events/{event.id}/roster.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == [1, "山田 太郎", "やまだ たろう"]


def test_roster_xlsx_survives_a_control_character_and_a_label_excel_refuses(center_staff, event):
    """Regression: a vertical tab typed into a name (stored before the forms refused it) or a
    label with / [ ] : * ? \\ made the whole XLSX answer 500."""
    event.label = "ア/[1]:*?\\"
    event.save(update_fields=["label"])
    entry = RosterEntryFactory(event=event, name="山田 太郎", kana="やまだ たろう")
    RosterEntry.objects.filter(pk=entry.pk).update(name="山田\x0b太郎")  # a row from before

    response = client_for(center_staff).get(f"/attendance/events/{event.id}/roster.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert (sheet.title, sheet["B2"].value) == ("ア1", "山田太郎")


@needs_font
def test_certificate_is_issued_by_staff_and_reached_by_the_trainee(center_staff, event):
    registration = TraineeFactory(event=event, name="山田 太郎")
    services.build_roster(event=event, user=center_staff)
    entry = registration.roster_entry
    services.record_attendance(entry=entry, status="present", user=center_staff)

    issued = client_for(center_staff).post(f"/attendance/entries/{entry.id}/certificate.pdf")
    pdf = client_for(center_staff).get(issued.url)
    trainee = Client().get(f"/attendance/certificate/{registration.management_token}/")
    wrong = Client().get("/attendance/certificate/nope/")

    assert Certificate.objects.get().label == "令和3年度 第1号"
    for response in (pdf, trainee):
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert text.splitlines()[0] == "令和3年度 第1号"
    assert wrong.status_code == 404


def test_municipal_staff_see_counts_of_their_municipality_and_no_names(municipal_staff, event):
    RosterEntryFactory(
        event=event, name="伊野 一", municipality=municipality("いの町"), status="present"
    )
    RosterEntryFactory(
        event=event, name="須崎 二", municipality=municipality("須崎市"), status="present"
    )

    response = client_for(municipal_staff).get(f"/attendance/events/{event.id}/counts/")

    html = response.content.decode()
    assert response.context["counts"].attended == 1
    assert "伊野 一" not in html and "須崎 二" not in html
    assert "担当市町村の参加者のみの集計です。" in html


PAGES = [
    "/attendance/events/{event}/",
    "/attendance/events/{event}/check-in/",
    "/attendance/events/{event}/paper/",
    "/attendance/events/{event}/counts/",
    "/attendance/events/{event}/roster.csv",
    "/attendance/events/{event}/roster.xlsx",
    pytest.param("/attendance/events/{event}/sign-in-sheet.pdf", marks=needs_font),
    "/api/attendance/events/{event}/imports",
    "/attendance/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_query_count_is_the_same_at_1_and_200_attendees(center_staff, url):
    client = client_for(center_staff)
    counted = []
    for size in (1, 200):
        event = LectureFactory(title=f"研修{size}")
        for n in range(size):
            entry = RosterEntryFactory(event=event, status="present", recorded_by=center_staff)
            if n == 0:
                services.close_roster(event=event, user=center_staff)
                services.record_attendance(
                    entry=entry, status="late", user=center_staff, reason="紙で確認"
                )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(event=event.id))
        assert response.status_code == 200
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_management_page_links_the_certificate_only_after_attending(center_staff, event):
    registration = TraineeFactory(event=event, name="山田 太郎")
    services.build_roster(event=event, user=center_staff)
    page = f"/training/r/{registration.management_token}/"
    before = Client().get(page).content.decode()

    services.record_attendance(entry=registration.roster_entry, status="present", user=center_staff)
    after = Client().get(page).content.decode()

    button = f'action="/attendance/certificate/{registration.management_token}/"'
    assert (button in before, button in after) == (False, True)


@needs_font
def test_trainee_certificate_is_issued_by_a_post_never_by_a_get(center_staff, event):
    registration = TraineeFactory(event=event, name="山田 太郎")
    services.build_roster(event=event, user=center_staff)
    services.record_attendance(entry=registration.roster_entry, status="present", user=center_staff)
    url = f"/attendance/certificate/{registration.management_token}/"

    looked = Client().get(url)
    issued_by_looking = Certificate.objects.count()
    posted = Client().post(url)
    pdf = Client().get(posted.url)
    again = Client().post(url)

    assert (looked.status_code, issued_by_looking) == (200, 0)
    assert 'method="post"' in looked.content.decode()
    assert (posted.status_code, posted.url, again.url) == (302, url, url)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert text.splitlines()[0] == "令和3年度 第1号"
    assert Certificate.objects.count() == 1
