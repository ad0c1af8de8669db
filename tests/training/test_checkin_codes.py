"""The check-in QR code in the emails (#25): decoded back from the inline image with a real QR
decoder (zxing-cpp), it is the registration's check-in code, and the body carries its text."""

import datetime as dt
import io
from email import message_from_bytes

import pytest
import zxingcpp
from django.core import mail
from PIL import Image

from core.fiscal import TOKYO
from notifications.services import send_due_dispatches
from tests.training.factories import EventFactory, RegistrationFactory
from training import reminders
from training.models import Registration
from training.services import confirm_registration, register_trainee

pytestmark = pytest.mark.django_db

STARTS = dt.datetime(2027, 5, 12, 14, 0, tzinfo=TOKYO)


def decoded_codes(message) -> list[str]:
    """Every QR code in the message's inline images, read by zxing-cpp from the MIME parts
    as a mail program receives them."""
    parsed = message_from_bytes(message.message().as_bytes())
    texts = []
    for part in parsed.walk():
        if part.get_content_type() != "image/png":
            continue
        assert part.get("Content-Disposition", "").startswith("inline")
        assert part["Content-ID"].startswith("<checkin-qr@")
        image = Image.open(io.BytesIO(part.get_payload(decode=True)))
        texts += [result.text for result in zxingcpp.read_barcodes(image)]
    return texts


@pytest.fixture
def soon(db):
    """An event a month from now (immediate emails go out at the real time)."""
    starts = dt.datetime.now(TOKYO).replace(microsecond=0) + dt.timedelta(days=30)
    return EventFactory(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2), registration_opens_at=None
    )


@pytest.fixture
def lecture(db):
    return EventFactory(
        starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=2), registration_opens_at=None
    )


def test_the_confirmation_carries_the_code_as_an_image_and_as_text(
    soon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pending = register_trainee(
            event=soon,
            name="高知 花子",
            email="hanako@example.jp",
            affiliation_type="municipal",
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm_registration(token=pending.confirmation_token)

    [message] = mail.outbox
    assert decoded_codes(message) == [confirmed.checkin_code]
    assert confirmed.checkin_code in message.body
    assert "受付用コード" in message.body
    assert confirmed.management_token not in confirmed.checkin_code
    assert list(Registration.objects.for_checkin_code(decoded_codes(message)[0])) == [confirmed]


def test_the_reminder_carries_the_code(lecture):
    registration = RegistrationFactory(event=lecture, email="a@example.jp")
    reminders.plan_event(lecture, now=STARTS - dt.timedelta(days=20))

    send_due_dispatches(now=dt.datetime(2027, 5, 11, 10, 0, tzinfo=TOKYO))

    [message] = mail.outbox
    assert decoded_codes(message) == [registration.checkin_code]
    assert registration.checkin_code in message.body


def test_a_waitlisted_person_gets_no_code(soon, django_capture_on_commit_callbacks):
    soon.capacity = 0
    soon.save()
    with django_capture_on_commit_callbacks(execute=True):
        pending = register_trainee(
            event=soon,
            name="待機 一",
            email="w@example.jp",
            affiliation_type="municipal",
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waitlisted = confirm_registration(token=pending.confirmation_token)

    [message] = mail.outbox
    assert (waitlisted.status, decoded_codes(message)) == ("waitlisted", [])
    assert waitlisted.checkin_code not in message.body
