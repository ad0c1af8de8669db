"""One calendar-item shape (core.calendar_item): a training event, a visit and a lecturer
dispatch keep the same rules, in the database and in what people are told."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.test.utils import isolate_apps
from django.utils import translation

from core.calendar_item import CalendarItem, calendar_item_constraints, status_field
from supervision.models import LecturerDispatch, Visit
from tests.conftest import client_for
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory
from training.models import Event, Registration

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def dispatch() -> LecturerDispatch:
    start = dt.datetime(2021, 7, 29, 13, 30, tzinfo=dt.UTC)
    return LecturerDispatch.objects.create(
        title="ひきこもり理解講座", host="社会福祉協議会", starts_at=start, ends_at=start + HOUR
    )


MAKERS = {
    "event": lambda: EventFactory(),
    "visit": lambda: VisitFactory(),
    "dispatch": dispatch,
}


def test_the_three_calendar_items_are_one_shape():
    for model in (Event, Visit, LecturerDispatch):
        assert issubclass(model, CalendarItem)
        names = {c.name for c in model._meta.constraints}
        prefix = model._meta.constraints[0].name.split("_ends_after_start")[0]
        assert {f"{prefix}_ends_after_start", f"{prefix}_starts_at_in_range"} <= names
        for field in ("starts_at", "ends_at", "sequence", "cancelled_at", "created_at"):
            assert model._meta.get_field(field).column == field
    assert Event().where == "" and Event(venue="会館").where == "会館"
    assert LecturerDispatch(place="公民館").where == "公民館"


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("offset", [dt.timedelta(0), -HOUR])
def test_the_database_refuses_an_end_not_after_the_start(kind, offset):
    item = MAKERS[kind]()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(ends_at=F("starts_at") + offset)

    item.refresh_from_db()
    assert item.ends_at > item.starts_at


@pytest.mark.parametrize("kind", MAKERS)
def test_clean_says_so_in_japanese_on_the_end(kind):
    item = MAKERS[kind]()
    item.ends_at = item.starts_at - HOUR

    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert refused.value.message_dict["ends_at"] == ["終了日時は開始日時より後にしてください。"]


def target_id() -> int:
    from tests.supervision.conftest import target

    return target("いの町").id


API_DOORS = {
    "event": (
        "/api/training/events",
        lambda: {"title": "講義", "kind": "lecture", "status": "draft"},
        Event,
    ),
    "visit": (
        "/api/supervision/visits",
        lambda: {"target_id": target_id(), "kind": "case_meeting"},
        Visit,
    ),
    "dispatch": (
        "/api/supervision/dispatches",
        lambda: {"title": "ひきこもり理解講座", "host": "社会福祉協議会"},
        LecturerDispatch,
    ),
}


@pytest.mark.parametrize("kind", API_DOORS)
def test_the_api_refuses_an_item_ending_before_it_starts_naming_the_field(center_staff, kind):
    url, body, model = API_DOORS[kind]
    times = {"starts_at": "2021-07-29T13:30:00+09:00", "ends_at": "2021-07-29T12:30:00+09:00"}

    response = client_for(center_staff).post(url, body() | times, content_type="application/json")

    assert response.status_code == 422
    assert ["ends_at", "終了日時は開始日時より後にしてください。"] in [
        [error["loc"][-1], error["msg"]] for error in response.json()["detail"]
    ]
    assert not model.objects.exists()


@isolate_apps("core")
def test_a_calendar_item_without_its_rules_fails_the_system_check():
    class Loose(CalendarItem):
        class Status(models.TextChoices):
            DONE = "done", "done"

        status = status_field(Status, default=Status.DONE)

        class Meta:
            app_label = "core"

    class Kept(CalendarItem):
        UID_PREFIX = "kept"

        class Status(models.TextChoices):
            CANCELLED = "cancelled", "cancelled"

        status = status_field(Status, default=Status.CANCELLED)

        class Meta:
            app_label = "core"
            constraints = calendar_item_constraints("kept")

    assert {error.id for error in Loose.check()} == {"core.E101", "core.E102", "core.E103"}
    assert Kept.check() == []


def test_a_registration_and_a_roster_entry_share_the_person_fields():
    from attendance.models import RosterEntry
    from training.models import PERSON_FIELDS, PersonFields

    for model in (Registration, RosterEntry):
        assert issubclass(model, PersonFields)
        for name in PERSON_FIELDS:
            mine, base = model._meta.get_field(name), PersonFields._meta.get_field(name)
            assert (mine.column, mine.max_length) == (base.column, base.max_length)
    kinds = dict(RosterEntry._meta.get_field("affiliation_type").choices)
    assert "health_office" in kinds and set(
        dict(Registration._meta.get_field("affiliation_type").choices)
    ) < set(kinds)
