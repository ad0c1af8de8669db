"""The check-in code on the registrant's management page and the printable 受講票 (#25): the
QR code decodes to the registration's code; only a confirmed seat of an event that is neither
cancelled nor over shows one."""

import datetime as dt
import io

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from attendance import documents
from core.fiscal import TOKYO
from tests.attendance.factories import LectureFactory, TraineeFactory
from training.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(db):
    starts = dt.datetime.now(TOKYO).replace(microsecond=0) + dt.timedelta(days=10)
    return LectureFactory(starts_at=starts, venue="かるぽーと")


def test_the_management_page_shows_the_code_and_the_ticket(upcoming):
    person = TraineeFactory(event=upcoming)

    page = Client().get(reverse("training:manage", args=[person.management_token])).content.decode()

    assert person.checkin_code in page
    assert f"/attendance/admission/{person.management_token}.pdf" in page
    assert "受付用QRコード" in page


@pytest.mark.parametrize(
    "status",
    [Registration.Status.WAITLISTED, Registration.Status.CANCELLED, "pending_confirmation"],
)
def test_no_code_without_a_seat(upcoming, status):
    person = TraineeFactory(event=upcoming, status=status)

    page = Client().get(reverse("training:manage", args=[person.management_token]))
    ticket = Client().get(f"/attendance/admission/{person.management_token}.pdf")

    assert person.checkin_code not in page.content.decode()
    assert ticket.status_code == 404


def test_no_code_after_the_event(db):
    person = TraineeFactory(event=LectureFactory())  # 2021

    ticket = Client().get(f"/attendance/admission/{person.management_token}.pdf")

    assert ticket.status_code == 404
    assert Client().get("/attendance/admission/wrong.pdf").status_code == 404


@pytest.mark.skipif(not documents.FONT_PATH.is_file(), reason="fonts-ipaexfont missing")
def test_the_ticket_is_an_a4_pdf_whose_qr_decodes_to_the_code(upcoming):
    person = TraineeFactory(event=upcoming, name="高知 花子")

    response = Client().get(f"/attendance/admission/{person.management_token}.pdf")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    [page] = reader.pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert ["受講票" in text, "高知 花子" in text, person.checkin_code in text] == [True] * 3
    [image] = page.images
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    assert decoded == [person.checkin_code]


@pytest.mark.parametrize(
    ("role", "status"),
    [("center", 200), ("health_office", 403), ("municipal", 403), ("outsider", 404)],
)
def test_only_staff_who_record_attendance_open_the_qr_mode(personas, upcoming, role, status):
    from tests.conftest import client_for

    response = client_for(personas[role]).get(reverse("attendance:qr_check_in", args=[upcoming.id]))

    assert response.status_code == status
    if status == 200:
        assert "QRで受付" in response.content.decode()
        assert "js/vendor/jsQR-1.4.0.js" in response.content.decode()
