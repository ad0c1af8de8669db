"""Factories for the attendance tests: the seed's first lecture (ア, 2021-07-08), a municipal
trainee registered for it, and roster entries (walk-ins unless told otherwise)."""

import datetime as dt

import factory

from attendance.models import RosterEntry
from core.fiscal import TOKYO
from tests.factories import municipality
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Event


class LectureFactory(EventFactory):
    """Lecture ア of FY2021 on 2021-07-08 13:30 for two and a half hours, no seat limit."""

    title = "ひきこもりに関する理解と支援"
    label = "ア"
    kind = Event.Kind.LECTURE
    starts_at = dt.datetime(2021, 7, 8, 13, 30, tzinfo=TOKYO)
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(minutes=150))
    venue = "高知城ホール"
    capacity = None
    registration_opens_at = None
    audiences = factory.LazyFunction(list)


class TraineeFactory(RegistrationFactory):
    """A confirmed registration of a public health nurse of いの町."""

    event = factory.SubFactory(LectureFactory)
    name = factory.Sequence(lambda n: f"受講 {n}郎")
    kana = factory.Sequence(lambda n: f"じゅこう {n}ろう")
    affiliation_type = "municipal"
    organization = "いの町 ほけん福祉課"
    municipality = factory.LazyFunction(lambda: municipality("いの町"))
    job_title = "保健師"


class RosterEntryFactory(factory.django.DjangoModelFactory):
    """A walk-in of a welfare commissioner of 須崎市."""

    class Meta:
        model = RosterEntry

    event = factory.SubFactory(LectureFactory)
    source = RosterEntry.Source.WALK_IN
    name = factory.Sequence(lambda n: f"来場 {n}子")
    kana = factory.Sequence(lambda n: f"らいじょう {n}こ")
    affiliation_type = "welfare_commissioner"
    organization = ""
    municipality = factory.LazyFunction(lambda: municipality("須崎市"))
