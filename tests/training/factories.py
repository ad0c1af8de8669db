"""Factories for training rows. Other apps' tests may import them."""

import datetime as dt

import factory
from django.utils import timezone

from training.models import Audience, Course, Event, Lecturer, Registration


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ["fiscal_year", "title"]

    fiscal_year = 2021
    title = "令和3年度 ひきこもり支援者人材養成研修"


class LecturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lecturer

    name = factory.Sequence(lambda n: f"講師{n}")
    affiliation = "高知県立精神保健福祉センター"
    title = "所長"


class EventFactory(factory.django.DjangoModelFactory):
    """A published lecture in ten days, 30 seats, registration open since yesterday."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"研修{n}")
    kind = Event.Kind.LECTURE
    status = Event.Status.PUBLISHED
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=10)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + dt.timedelta(hours=2))
    venue = "高知県立ふくし交流プラザ"
    capacity = 30
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    audiences = factory.LazyFunction(lambda: [Audience.WELFARE_COMMISSIONER, Audience.MUNICIPAL])
    published_at = factory.LazyAttribute(
        lambda event: timezone.now() if event.status != Event.Status.DRAFT else None
    )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed web registration (placed directly, for arranging tests)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"受講 {n}郎")
    kana = "じゅこう"
    email = factory.Sequence(lambda n: f"trainee{n}@example.jp")
    affiliation_type = Audience.WELFARE_COMMISSIONER
    source = Registration.Source.WEB
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    waitlisted_at = factory.LazyAttribute(
        lambda r: timezone.now() if r.status == Registration.Status.WAITLISTED else None
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = model_class(*args, **kwargs)
        registration.set_secrets(needs_confirmation=False, now=timezone.now())
        registration.save()
        return registration


def sent_to(message) -> str:
    """The address an email went to (without the display name the sender adds)."""
    from email.utils import parseaddr

    return parseaddr(message.to[0])[1]
