"""Events, registrations and roster entries for the attendance tests."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from attendance.models import RosterEntry
from directory.fiscal import TOKYO
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


# --- transactional tests leave the database as they found it -----------------------------
#
# A transactional test (browser, concurrency) ends with a flush that also removes the rows the
# data migrations made (the directory of Kochi, supervision's targets). Tests collected after
# these, in other apps, expect those rows, so the database's content is saved before each of
# our transactional tests and loaded back after its flush.

_saved: dict[str, str] = {}


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def _unblocked(item):
    from pytest_django.plugin import blocking_manager_key

    return item.config.stash[blocking_manager_key].unblock()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if _transactional(item):
        from django.db import connection

        with _unblocked(item):
            _saved["default"] = connection.creation.serialize_db_to_string()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _transactional(item) and "default" in _saved:
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        with _unblocked(item):
            # The flush's post_migrate made content types and permissions anew; the saved
            # ones (with their original ids) replace them.
            Permission.objects.all().delete()
            ContentType.objects.all().delete()
            ContentType.objects.clear_cache()
            connection.creation.deserialize_db_from_string(_saved.pop("default"))
