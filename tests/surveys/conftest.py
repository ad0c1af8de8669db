"""An ended lecture with a questionnaire and its roster: three present attendees with an email
(one of them recorded late), one absent, one present without an email."""

import pytest
from django.test import Client

from surveys import services
from tests.attendance.factories import LectureFactory, RosterEntryFactory


@pytest.fixture
def event(db):
    return LectureFactory()


@pytest.fixture
def survey(event, center_staff):
    return services.create_survey(actor=center_staff, event_id=event.pk)


@pytest.fixture
def roster(event):
    return {
        "present": RosterEntryFactory(event=event, status="present", email="a@example.jp"),
        "late": RosterEntryFactory(event=event, status="late", email="b@example.jp"),
        "online": RosterEntryFactory(event=event, status="present", email="c@example.jp"),
        "absent": RosterEntryFactory(event=event, status="absent", email="d@example.jp"),
        "no_email": RosterEntryFactory(event=event, status="present", email=""),
    }


@pytest.fixture
def center_client(center_staff):
    client = Client()
    client.force_login(center_staff)
    return client


def full_answer(survey, **overrides) -> dict[str, list[str]]:
    """A complete answer: 5 on every scale, the first theme, a comment."""
    data = {}
    for question in survey.questions.all():
        name = services.field_name(question)
        if question.kind == "scale5":
            data[name] = ["5"]
        elif question.kind in ("single", "multiple"):
            data[name] = ["0"]
        else:
            data[name] = ["とても参考になりました"]
    data.update(overrides)
    return data
