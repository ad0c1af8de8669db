"""A contact that is there (issue #21): the demo's center profile has invented but plausible
contacts, so the event page names a number; without a number the page does not promise
registration by phone or fax."""

import pytest
from django.test import Client

from directory import demo
from directory.center import remember
from directory.kochi import default_center
from tests.training.factories import EventFactory

pytestmark = pytest.mark.django_db

SENTENCE = "電話・FAXでも申し込めます"


def test_the_demo_center_has_invented_contacts_and_the_event_page_shows_them():
    demo.load()
    event = EventFactory(title="電話で申し込める研修")

    page = Client().get(event.get_absolute_url()).content.decode()

    assert "088-000-1234" in page and "088-000-1235" in page
    assert SENTENCE in page
    assert "center@sasaeru.example" in page or "架空の住所" in page


def test_without_a_number_the_page_does_not_offer_phone_or_fax():
    remember(default_center())  # the profile the migration stores: no number
    event = EventFactory(title="番号のない研修")

    page = Client().get(event.get_absolute_url()).content.decode()

    assert SENTENCE not in page
    assert "by-phone" not in page
