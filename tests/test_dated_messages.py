"""One date language in the messages a page flashes (issue #21): every flash message that
names a date (a postponement, a holiday, a weekend, the year-end break, a double booking, the
supported range) reads in 和暦, never 2021-11-23; so do the PDFs (sign-in sheet, report), the
privacy page's records and the names of records. (Mails: tests/test_mail_text.py.)"""

import io
import re

import pytest
from django.contrib.messages import get_messages
from pypdf import PdfReader

from attendance import documents
from supervision.models import Visit
from tests.conftest import client_for
from tests.supervision.conftest import at, target
from tests.supervision.factories import VisitFactory

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _schedule(client, staff, day: str, time: str = "13:30"):
    return client.post(
        "/supervision/visits/new/",
        {
            "target": target("須崎市").pk,
            "kind": "case_meeting",
            "date": day,
            "time": time,
            "minutes": 120,
            "staff": [staff.pk],
        },
    )


def test_every_dated_flash_message_reads_in_wareki(center_staff):
    client = client_for(center_staff)
    busy = VisitFactory(target=target("いの町"), starts_at=at("2021-11-20", "13:30"))
    busy.staff.add(center_staff)
    messages = []
    # A holiday, a weekend day with a double booking, the year-end break.
    for day in ("2021-11-23", "2021-11-20", "2021-12-29"):
        messages += _flashed(_schedule(client, center_staff, day))
    visit = Visit.objects.order_by("pk").last()
    messages += _flashed(
        client.post(
            f"/supervision/visits/{visit.pk}/postpone/",
            {"date": "2022-01-11", "time": "10:00", "reason": "先方都合"},
        )
    )

    assert len(messages) >= 6, messages
    assert [m for m in messages if ISO_DATE.search(m)] == []
    assert "令和3年11月23日（火） は祝日（勤労感謝の日）です。" in messages
    assert any("令和3年11月20日（土） 13:30" in m for m in messages), messages
    assert any("年末年始" in m and "令和3年12月29日（水）" in m for m in messages), messages
    assert "訪問を 令和4年1月11日（火） 10:00 に延期しました。" in messages


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_date_range_message_reads_in_wareki_on_pages_and_in_the_api(center_staff):
    """core.inputs.date_message: the flash of a calendar asked for an impossible day, a form's
    error and the API's 422 all give the supported range in 和暦."""
    client = client_for(center_staff)
    flashed = _flashed(client.get("/supervision/calendar/", {"date": "9999-12-31"}))
    form = client.post("/supervision/visits/new/", {"target": target("須崎市").pk,
                       "kind": "case_meeting", "date": "2101-04-01", "time": "10:00",
                       "minutes": 60, "staff": [center_staff.pk]})  # fmt: skip
    errors = [str(error) for error in form.context["form"].errors.get("date", [])]

    expected = (
        "日付は 平成12年4月1日（土） から 令和83年3月31日（木） までの範囲で入力してください。"
    )
    assert flashed == [expected]
    assert errors and all(not ISO_DATE.search(error) for error in errors), errors


@pytest.mark.skipif(not documents.FONT_PATH.is_file(), reason="no fonts-ipaexfont")
def test_pdfs_and_the_privacy_page_read_in_wareki(center_staff):
    """The sign-in sheet and the report PDF, the privacy page's table of a person's records and
    the names of records (a case meeting, an erasure, a due message) carry no ISO date."""
    from django.core.management import call_command

    from notifications.models import Dispatch
    from privacy.models import Erasure
    from supervision.models import CaseMeeting
    from tests.attendance.factories import LectureFactory, RosterEntryFactory
    from tests.training.factories import RegistrationFactory

    call_command("load_demo", stdout=io.StringIO())
    client = client_for(center_staff)
    event = LectureFactory()
    RosterEntryFactory(event=event, name="高知 花子", kana="こうち はなこ")
    RegistrationFactory(name="須崎 次郎", email="jiro@example.jp")
    texts = {
        "sign-in sheet": _pdf_text(
            client.get(f"/attendance/events/{event.pk}/sign-in-sheet.pdf").content
        ),
        "report": _pdf_text(client.get("/reports/2021/report.pdf?as_of=2021-10-01").content),
        "privacy": client.post("/privacy/", {"action": "search", "email": "jiro@example.jp"})
        .content.decode()
        .split('<h2 id="found-title">')[1],
    }
    Erasure.objects.create(kind=Erasure.Kind.REQUEST)
    for model in (CaseMeeting, Erasure, Dispatch):
        row = model.objects.first()
        if row is not None:
            texts[model.__name__] = str(row)

    assert {"CaseMeeting", "Erasure", "sign-in sheet", "report", "privacy"} <= set(texts)
    assert "須崎 次郎" in texts["privacy"]
    found = {name: ISO_DATE.findall(text) for name, text in texts.items()}
    assert {name: dates for name, dates in found.items() if dates} == {}
    assert "令和3年" in texts["report"] and "令和" in texts["sign-in sheet"]
    assert re.search(r"R\d+\.\d+\.\d+（.）", texts["privacy"])  # the short form of a dense table
    assert "令和" in texts["CaseMeeting"] and "令和" in texts["Erasure"]
