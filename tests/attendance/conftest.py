"""Events, registrations and roster entries for the attendance tests."""

import pytest

from tests.attendance.factories import LectureFactory


@pytest.fixture
def event(db):
    return LectureFactory()


@pytest.fixture
def online_event(db):
    """The same lecture held online: participant reports are imported into online events only."""
    from training.models import Event

    return LectureFactory(kind=Event.Kind.ONLINE_LECTURE, venue="オンライン（Zoom）")
