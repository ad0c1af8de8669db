"""Factories for supervision rows, as they would be after the services ran."""

import datetime as dt

import factory

from supervision.models import Visit
from tests.supervision.conftest import at, target


class VisitFactory(factory.django.DjangoModelFactory):
    """A scheduled two-hour supervision visit to いの町 (``target=target("須崎市")`` names
    another; ``starts_at=at("2021-06-10", "14:00")`` its time)."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    target = factory.LazyFunction(lambda: target("いの町"))
    kind = Visit.Kind.SUPERVISION
    starts_at = factory.LazyFunction(lambda: at("2021-06-10"))
    ends_at = factory.LazyAttribute(lambda visit: visit.starts_at + dt.timedelta(hours=2))
    status = Visit.Status.SCHEDULED
