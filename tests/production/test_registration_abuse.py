"""Public registration: no enumeration (an address already registered gets exactly the answer
a new one gets, and its owner an email with their management link), limits per client address
and per email address (429 with Retry-After, form and API), and at most a few confirmation
emails a day to one address."""

import time

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_ratelimit.core import _get_window

from tests.training.factories import EventFactory, RegistrationFactory, sent_to
from training.models import Registration

pytestmark = pytest.mark.django_db

# The keys these tests count under: the client addresses and the repeated email addresses.
KEYS = ["127.0.0.1", "203.0.113.7", "203.0.113.8", "target@example.jp", "bomb@example.jp"]


@pytest.fixture(autouse=True)
def whole_windows():
    """django-ratelimit's windows are fixed (each key's hour or day ends at its own second): a
    test whose requests straddled an end would see the count start again. Start each test at
    least 20 s before any of its keys' windows ends."""
    for _ in range(2):
        now = time.time()
        ends = [_get_window(key, period) for key in KEYS for period in (3600, 86400)]
        soonest = min(end - now for end in ends)
        if soonest >= 20:
            return
        time.sleep(soonest + 1)


FORM = {
    "name": "高知 花子",
    "kana": "こうち はなこ",
    "affiliation_type": "welfare_commissioner",
    "language": "ja",
}


def api_register(event, email, client=None, **extra):
    return (client or Client()).post(
        f"/api/training/events/{event.pk}/registrations",
        {**FORM, "email": email},
        content_type="application/json",
        **extra,
    )


def comparable(response):
    headers = {k: v for k, v in response.headers.items() if k not in {"Date", "Content-Length"}}
    return response.status_code, headers, response.content


def test_the_api_answers_a_known_address_exactly_like_an_unknown_one(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    known = RegistrationFactory(event=event, email="known@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        unknown_answer = api_register(event, "new@example.jp")
        known_answer = api_register(event, "KNOWN@example.jp")

    assert comparable(known_answer) == comparable(unknown_answer)
    assert unknown_answer.status_code == 201
    assert unknown_answer.json()["detail"] == "確認メールを送りました。"
    assert Registration.objects.filter(email="known@example.jp").count() == 1
    [told] = [m for m in mail.outbox if sent_to(m) == "known@example.jp"]
    assert "すでに申し込まれています" in told.subject
    assert known.management_url() in told.body


def test_the_form_answers_a_known_address_exactly_like_an_unknown_one(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    RegistrationFactory(event=event, email="known@example.jp")

    with django_capture_on_commit_callbacks(execute=True):
        unknown_answer = Client().post(
            f"/training/events/{event.pk}/", {**FORM, "email": "n@example.jp"}
        )
        known_answer = Client().post(
            f"/training/events/{event.pk}/", {**FORM, "email": "known@example.jp"}
        )

    assert comparable(known_answer) == comparable(unknown_answer)
    assert unknown_answer.status_code == 302
    assert [sent_to(m) for m in mail.outbox] == ["n@example.jp", "known@example.jp"]


def test_a_flood_from_one_address_gets_429_with_retry_after():
    event = EventFactory()
    answers = [api_register(event, f"p{n}@example.jp").status_code for n in range(31)]
    flood = api_register(event, "last@example.jp")

    assert answers[:30] == [201] * 30
    assert flood.status_code == 429
    assert 0 < int(flood["Retry-After"]) <= 3600
    assert flood.json()["detail"].startswith("リクエストが多すぎます。")
    assert not Registration.objects.filter(email="last@example.jp").exists()


def test_the_limit_per_client_uses_the_address_the_proxy_saw():
    event = EventFactory()
    for n in range(30):
        api_register(event, f"p{n}@example.jp", HTTP_X_FORWARDED_FOR="203.0.113.7")

    other = api_register(event, "other@example.jp", HTTP_X_FORWARDED_FOR="203.0.113.8")
    same = api_register(event, "same@example.jp", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert (other.status_code, same.status_code) == (201, 429)


def test_one_email_address_is_limited_across_events_and_clients():
    events = EventFactory.create_batch(6)
    answers = [
        api_register(event, "target@example.jp", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n, event in enumerate(events)
    ]

    assert [a.status_code for a in answers] == [201] * 5 + [429]


def test_the_form_answers_a_flood_with_429_in_japanese():
    event = EventFactory()
    for n in range(30):
        Client().post(f"/training/events/{event.pk}/", {**FORM, "email": f"f{n}@example.jp"})

    response = Client().post(f"/training/events/{event.pk}/", {**FORM, "email": "x@example.jp"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "申し込みが多すぎます" in response.content.decode()


@override_settings(REGISTRATION_LIMIT_PER_ADDRESS="100/h")
def test_at_most_five_confirmation_emails_a_day_to_one_address(
    django_capture_on_commit_callbacks,
):
    events = EventFactory.create_batch(6)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [api_register(event, "bomb@example.jp").status_code for event in events]

    assert answers == [201] * 5 + [429]
    assert [sent_to(m) for m in mail.outbox] == ["bomb@example.jp"] * 5
