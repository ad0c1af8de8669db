import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Conflict
from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training import services
from training.models import Event, Registration

pytestmark = pytest.mark.django_db


def register(event, email, **fields):
    return services.register_trainee(
        event=event,
        name=fields.pop("name", "高知 花子"),
        email=email,
        affiliation_type=fields.pop("affiliation_type", "welfare_commissioner"),
        **fields,
    )


def test_web_registration_waits_for_confirmation_and_emails_the_link(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, "Hanako@Example.jp")

    assert registration.status == "pending_confirmation"
    assert registration.email == "hanako@example.jp"
    assert [sent_to(m) for m in mail.outbox] == ["hanako@example.jp"]
    assert registration.confirmation_url() in mail.outbox[0].body


def test_confirmation_gives_a_seat_then_the_waitlist(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first = register(event, "a@example.jp")
    second = register(event, "b@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.confirm_registration(token=first.confirmation_token)
        second = services.confirm_registration(token=second.confirmation_token)

    assert (first.status, second.status, second.position) == ("confirmed", "waitlisted", 1)
    assert [m.subject for m in mail.outbox] == [
        f"参加登録が確定しました: {event}",
        f"キャンセル待ちに登録しました: {event}",
    ]
    assert mail.outbox[0].attachments[0][0] == "event.ics"


def test_confirmation_link_cannot_be_reused(event):
    registration = register(event, "a@example.jp")
    services.confirm_registration(token=registration.confirmation_token)

    with pytest.raises(ValidationError) as error:
        services.confirm_registration(token=registration.confirmation_token)

    assert list(error.value.message_dict) == ["token"]


def test_confirmation_link_expires(event):
    registration = register(event, "a@example.jp")

    with pytest.raises(ValidationError) as error:
        services.confirm_registration(
            token=registration.confirmation_token, now=timezone.now() + dt.timedelta(days=3)
        )

    assert list(error.value.message_dict) == ["token"]
    assert Registration.objects.get().status == "pending_confirmation"


def test_duplicate_web_email_returns_the_registration_without_a_second_row(event):
    first = register(event, "a@example.jp")

    again = register(event, "A@example.jp")

    assert again == first
    assert Registration.objects.count() == 1


def test_duplicate_email_entered_by_staff_is_refused(event, center_staff):
    register(event, "a@example.jp", by=center_staff, source="phone")

    with pytest.raises(ValidationError) as error:
        register(event, "A@example.jp", by=center_staff, source="phone")

    assert list(error.value.message_dict) == ["email"]
    assert Registration.objects.count() == 1


def test_cancellation_promotes_the_first_waitlisted_and_emails_them(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    seated = RegistrationFactory(event=event)
    first = RegistrationFactory(event=event, status="waitlisted", email="first@example.jp")
    second = RegistrationFactory(event=event, status="waitlisted", email="second@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seated)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.position) == ("confirmed", "waitlisted", 1)
    assert [sent_to(m) for m in mail.outbox] == [first.email, seated.email]


def test_cancellation_after_the_cutoff_leaves_the_seat_for_staff():
    event = EventFactory(capacity=1, starts_at=timezone.now() + dt.timedelta(days=1))
    seated = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")

    services.cancel_registration(registration=seated)

    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_staff_promotion_is_refused_when_full(center_staff):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waitlisted")

    with pytest.raises(Conflict):
        services.promote_registration(registration=waiting, by=center_staff)


def test_staff_registration_by_phone_is_placed_at_once(center_staff):
    event = EventFactory(capacity=1)

    first = register(event, "", phone="088-111-2222", source="phone", by=center_staff)
    second = register(event, "", phone="088-111-3333", source="fax", by=center_staff)

    assert (first.status, second.status, second.position) == ("confirmed", "waitlisted", 1)


def test_registration_outside_the_window_is_refused():
    event = EventFactory(registration_opens_at=timezone.now() + dt.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        register(event, "a@example.jp")

    assert list(error.value.message_dict) == ["event"]


def test_capacity_below_confirmed_is_refused():
    event = EventFactory(capacity=2)
    RegistrationFactory.create_batch(2, event=event)

    with pytest.raises(ValidationError) as error:
        services.update_event(event=event, capacity=1)

    assert list(error.value.message_dict) == ["capacity"]
    assert Event.objects.get().capacity == 2


def test_moving_the_event_raises_the_sequence_and_tells_registrants(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    registration = RegistrationFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        event = services.update_event(event=event, venue="オーテピア")

    assert event.sequence == 1
    assert [sent_to(m) for m in mail.outbox] == [registration.email]
    assert "SEQUENCE:1" in mail.outbox[0].attachments[0][1]


def test_cancelling_the_event_sends_a_calendar_cancellation(django_capture_on_commit_callbacks):
    event = EventFactory()
    RegistrationFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        event = services.cancel_event(event=event)

    assert (event.status, event.sequence) == ("cancelled", 1)
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]
