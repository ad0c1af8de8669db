import pytest

from tests.training.factories import EventFactory


@pytest.fixture
def event(db):
    return EventFactory()
