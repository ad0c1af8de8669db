"""The contracts between apps hold: every scheduled job's function imports, every registered
message kind names its app and renders with real objects, and the notification topic is built
and parsed in one place (notifications.topics), in Python and in SQL alike."""

import ast
import datetime as dt
import tomllib
from pathlib import Path

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

    assert [section.code for section in sections()] == [
        "attendance.checkin_code",
        "feeds.calendar",
        "attendance.certificate",
    ]
    assert foreign == []


# --- private names stay in their module ----------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# Our packages: the import contract's (pyproject.toml), the benchmarks and the tests.
FIRST_PARTY = (
    *tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"],
    "bench",
    "tests",
)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def private_imports(source: str, module: str) -> list[str]:
    """The places in ``source`` (the code of ``module``) that use an underscore-private name of
    another of our modules: ``from a.b import _c`` or ``b._c`` where ``b`` is our module."""
    tree = ast.parse(source)
    package = module.rsplit(".", 1)[0]
    modules: dict[str, str] = {}  # local name -> our module it stands for
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] not in FIRST_PARTY or base == module:
                continue
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"{module}:{node.lineno} from {base} import {alias.name}")
                elif _is_module(f"{base}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FIRST_PARTY:
                    modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            parts, value = [], node.value
            while isinstance(value, ast.Attribute):
                parts.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in modules:
                target = ".".join([modules[value.id], *parts])
                if target != module and _is_module(target):
                    found.append(f"{module}:{node.lineno} {target}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    found = []
    for package in FIRST_PARTY:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found += private_imports(path.read_text(encoding="utf-8"), module)

    assert found == []


def test_the_private_name_check_sees_both_spellings():
    source = "from training.services.common import _lock_event, lock_event\n"
    source += "from training import demo\nimport supervision.demo as sd\n"
    source += "demo._event(); sd._dispatch(); demo.__name__\n"

    found = private_imports(source, "reports.demo")

    assert found == [
        "reports.demo:1 from training.services.common import _lock_event",
        "reports.demo:4 training.demo._event",
        "reports.demo:4 supervision.demo._dispatch",
    ]
