"""Events, registrations and roster entries for the attendance tests."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.factories import municipality
from training.models import Event, Registration

_numbers = itertools.count(1)


def make_event(**fields) -> Event:
    starts_at = fields.pop("starts_at", dt.datetime(2021, 7, 8, 13, 30, tzinfo=TOKYO))
    defaults = {
        "title": "ひきこもりに関する理解と支援",
        "label": "ア",
        "kind": Event.Kind.LECTURE,
        "status": Event.Status.PUBLISHED,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=150),
        "venue": "高知城ホール",
    }
    return Event.objects.create(**{**defaults, **fields})


def make_registration(event: Event, **fields) -> Registration:
    n = next(_numbers)
    defaults = {
        "name": f"受講 {n}郎",
        "kana": f"じゅこう {n}ろう",
        "email": f"trainee{n}@example.jp",
        "affiliation_type": "municipal",
        "organization": "いの町 ほけん福祉課",
        "municipality": municipality("いの町"),
        "job_title": "保健師",
        "source": Registration.Source.WEB,
        "status": Registration.Status.CONFIRMED,
    }
    registration = Registration(event=event, **{**defaults, **fields})
    registration.set_secrets(needs_confirmation=False, now=timezone.now())
    registration.save()
    return registration


def make_entry(event: Event, **fields) -> RosterEntry:
    n = next(_numbers)
    defaults = {
        "source": RosterEntry.Source.WALK_IN,
        "name": f"来場 {n}子",
        "kana": f"らいじょう {n}こ",
        "affiliation_type": "welfare_commissioner",
        "organization": "",
        "municipality": municipality("須崎市"),
    }
    return RosterEntry.objects.create(event=event, **{**defaults, **fields})


@pytest.fixture
def event(db):
    return make_event()
