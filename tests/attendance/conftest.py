"""Events, registrations and roster entries for the attendance tests."""

import pytest

from tests.attendance.factories import LectureFactory


@pytest.fixture
def event(db):
    return LectureFactory()
