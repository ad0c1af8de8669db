"""The contracts between apps hold: every scheduled job's function imports, every registered
message kind names its app and renders with real objects, and the notification topic is built
and parsed in one place (notifications.topics), in Python and in SQL alike."""

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from config.jobs import JOBS
from directory.models import User
from notifications.models import Dispatch
from notifications.registry import MessageKind, all_kinds
from notifications.topics import object_of_topic, parse_topic, topic_expression, topic_for
from supervision.models import Visit
from tests.factories import ContactFactory
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Event, Registration


@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_every_scheduled_job_function_imports(job):
    assert callable(import_string(job.func))


def test_a_message_kind_must_name_its_app():
    with pytest.raises(ValueError):
        MessageKind(code="reminder", render=lambda dispatch: None)

    assert MessageKind(code="training.x", render=lambda dispatch: None).app == "training"


OUR_APPS = {"training", "supervision", "attendance", "notifications"}


def test_every_kind_belongs_to_one_of_our_apps():
    assert {kind.app for kind in all_kinds() if kind.app in OUR_APPS} == OUR_APPS


@pytest.fixture
def real_objects(db, center_staff):
    """One real object of every model a message kind is about."""
    registration = RegistrationFactory(event=EventFactory(venue="高知市"))
    visit = VisitFactory(starts_at=timezone.now() + dt.timedelta(days=7))
    visit.staff.add(center_staff)
    ContactFactory()
    return {
        Registration: registration,
        Visit: visit,
        Event: registration.event,
        User: center_staff,
    }


# Kinds that load no related rows are about the model they name here.
MODEL_OF = {"notifications.weekly_digest": User}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_registered_kind_renders_with_real_objects(real_objects, language):
    kinds = [kind for kind in all_kinds() if kind.app in OUR_APPS]
    rendered = {}
    for kind in kinds:
        model = kind.queryset().model if kind.queryset else MODEL_OF[kind.code]
        obj = (
            kind.queryset().get(pk=real_objects[model].pk) if kind.queryset else real_objects[model]
        )
        dispatch = Dispatch(
            kind=kind.code,
            obj=obj,
            recipient="someone@example.jp",
            recipient_name="誰か",
            due_at=timezone.now(),
            language=language,
        )
        with translation.override(language):
            message = kind.render(dispatch)
        rendered[kind.code] = (bool(message.subject.strip()), bool(message.body.strip()))

    assert rendered == {kind.code: (True, True) for kind in kinds}


def test_the_topic_is_the_same_in_python_and_in_sql(db):
    event = EventFactory()

    in_sql = Event.objects.annotate(topic=topic_expression(Event, F("pk"))).get(pk=event.pk).topic

    assert in_sql == topic_for(event) == f"training.event:{event.pk}"
    assert object_of_topic(topic_for(event)) == event
    assert parse_topic(topic_for(event)).pk == event.pk


@pytest.mark.parametrize("text", ["", "training.event", "training:1", "training.event:x", "a.b:-1"])
def test_a_malformed_topic_names_nothing(db, text):
    assert (parse_topic(text), object_of_topic(text)) == (None, None)


def test_the_management_page_gets_other_apps_parts_through_its_registry():
    from pathlib import Path

    from training.registrant_page import sections

    templates = Path(__file__).resolve().parent.parent / "training" / "templates"
    foreign = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        for app in ("feeds", "attendance", "supervision", "reports")
        if f'include "{app}/' in path.read_text() or f"load {app}_" in path.read_text()
    ]

    assert [section.code for section in sections()] == ["feeds.calendar", "attendance.certificate"]
    assert foreign == []
