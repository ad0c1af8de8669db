"""How a lecturer is printed (``Lecturer.credit``): the seed's three forms, from structured
fields, and the migration that moves a qualification out of the title (特任助教（医師）)."""

import importlib

import pytest
from django.apps import apps

from training.models import Lecturer

pytestmark = pytest.mark.django_db

migration = importlib.import_module("training.migrations.0004_lecturer_honorific_print_style")


@pytest.mark.parametrize(
    ("fields", "printed", "with_honorific"),
    [
        (
            dict(affiliation="○○センター", title="所長", print_style="affiliation"),
            "○○センター　所長　山田　太郎",
            "山田　太郎",
        ),
        (
            dict(affiliation="○○大学医学部", title="特任助教", honorific="医師",
                 print_style="position"),
            "○○大学医学部特任助教　山田　太郎　医師",
            "山田　太郎医師",
        ),
        (
            dict(affiliation="○○大学○○学科", title="教授", honorific="教授", print_style="name"),
            "山田　太郎教授（○○大学○○学科）",
            "山田　太郎教授",
        ),
        (
            dict(affiliation="○○大学", title="准教授", print_style="name"),
            "山田　太郎（○○大学　准教授）",
            "山田　太郎",
        ),
        (dict(print_style="name"), "山田　太郎", "山田　太郎"),
    ],
)  # fmt: skip
def test_credit_follows_the_print_style(fields, printed, with_honorific):
    lecturer = Lecturer(name="山田 太郎", **fields)

    assert (lecturer.credit, lecturer.name_with_honorific) == (printed, with_honorific)


def test_migration_moves_a_qualification_in_parentheses_to_the_honorific():
    doctor = Lecturer.objects.create(name="小松 静香", affiliation="○○大学医学部",
                                     title="特任助教（医師）")  # fmt: skip
    acting = Lecturer.objects.create(name="山田 太郎", title="所長（兼務）")

    migration.split_qualification(apps, None)

    doctor.refresh_from_db()
    acting.refresh_from_db()
    assert (doctor.title, doctor.honorific, doctor.print_style) == ("特任助教", "医師", "position")
    assert doctor.credit == "○○大学医学部特任助教　小松　静香　医師"
    assert (acting.title, acting.honorific, acting.print_style) == (
        "所長（兼務）",
        "",
        "affiliation",
    )
    assert Lecturer.objects.count() == 2


def test_migration_back_writes_the_qualification_into_the_title():
    doctor = Lecturer.objects.create(name="小松 静香", title="特任助教", honorific="医師")
    professor = Lecturer.objects.create(name="近藤 直司", title="教授", honorific="教授")

    migration.join_qualification(apps, None)

    doctor.refresh_from_db()
    professor.refresh_from_db()
    assert (doctor.title, professor.title) == ("特任助教（医師）", "教授")


def test_an_unknown_print_style_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Lecturer.objects.bulk_create([Lecturer(name="山田 太郎", print_style="sideways")])
