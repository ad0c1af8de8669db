"""factory_boy factories without surprises: what they make is what the test names."""

import factory

from directory.models import Contact, District, Municipality, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "職員"
    first_name = factory.Sequence(lambda n: f"{n}号")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")
    password = factory.django.Password("pw")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    municipality = factory.LazyFunction(lambda: Municipality.objects.get(name="いの町"))
    department = "ほけん福祉課"
    name = factory.Sequence(lambda n: f"担当者{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.jp")
    phone = "088-000-0000"


def district(name: str) -> District:
    return District.objects.get(name=name)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)
