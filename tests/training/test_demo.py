import io

import pytest
from django.core.management import call_command

from training import demo
from training.models import Event, EventPartLecturer, Registration

pytestmark = pytest.mark.django_db


def test_demo_has_the_fy2021_course_from_the_seed():
    demo.load()

    events = Event.objects.in_fiscal_year(2021).order_by("starts_at")
    speakers = [
        (s.part.event.label, s.part.title, s.lecturer.name, s.get_role_display())
        for s in EventPartLecturer.objects.filter(part__event__course__fiscal_year=2021)
        .select_related("part__event", "lecturer")
        .order_by("part__event__starts_at", "part__order", "order")
    ]

    assert [(e.label, e.kind, e.status) for e in events] == [
        ("ア", "lecture", "published"),
        ("イ", "lecture", "published"),
        ("ウ", "online_lecture", "published"),  # held 9/16, before the report date (the seed)
        ("", "awareness", "published"),
        ("エ", "case_study", "draft"),
    ]
    assert speakers == [
        ("ア", "ひきこもりに関する理解と支援", "山﨑 正雄", "講師"),
        ("イ", "ひきこもりを理解するための精神障害", "小松 静香", "講師"),
        ("イ", "ひきこもり支援における医療との連携", "小松 静香", "対談者"),
        ("イ", "ひきこもり支援における医療との連携", "山﨑 正雄", "対談者"),
        ("ウ", "ひきこもりケースのアセスメント", "近藤 直司", "講師"),
    ]
    assert Registration.objects.filter(event__in=events).count() == 0


def test_demo_has_upcoming_events_open_now_one_online_one_nearly_full():
    demo.load()

    upcoming = Event.objects.public().upcoming().with_counts().order_by("starts_at")

    assert [(e.kind, e.registration_is_open(), e.seats_left) for e in upcoming] == [
        ("case_study", True, 1),
        ("lecture", True, 75),
        ("online_lecture", True, 100),
    ]


def test_demo_loads_twice_without_change():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Event.objects.count(), Registration.objects.count())

    call_command("load_demo", stdout=io.StringIO())

    assert (Event.objects.count(), Registration.objects.count()) == counts
