"""Bad input through the pages, forms and the core limits: a clear message and nothing
written (issue #11's defects outside the API)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.dates import parse_as_of, parse_fiscal_year
from core.fiscal import TOKYO, fiscal_year_of, today
from core.inputs import check_datetime, check_text, shifted
from tests.conftest import client_for
from training.models import Event

pytestmark = pytest.mark.django_db


IMPOSSIBLE_YEARS = ["0", "-1", "9999", "99999", str(2**63), "abc"]


@pytest.mark.parametrize("raw", IMPOSSIBLE_YEARS)
@pytest.mark.parametrize("page", ["/training/staff/", "/attendance/"])
def test_staff_pages_with_an_impossible_fiscal_year_fall_back_visibly(center_staff, page, raw):
    response = client_for(center_staff).get(page, {"fy": raw})

    assert response.status_code == 200
    assert f"{fiscal_year_of(today())} 年度を表示しています" in response.content.decode()


@pytest.mark.parametrize("raw", IMPOSSIBLE_YEARS)
def test_dashboard_with_an_impossible_year_or_date_says_the_filter_is_ignored(center_staff, raw):
    response = client_for(center_staff).get(
        "/supervision/", {"fiscal_year": raw, "as_of": "9999-12-31"}
    )

    assert response.status_code == 200
    assert "解釈できない条件は無視しました。" in response.content.decode()


def test_parse_fiscal_year_and_as_of_stay_in_range():
    assert parse_fiscal_year("0", default=2021) == 2021
    assert parse_fiscal_year(str(2**63), default=2021) == 2021
    assert parse_fiscal_year("2021") == 2021
    assert parse_as_of("9999-12-31", fiscal_year=2021) == dt.date(2022, 3, 31)
    assert parse_as_of("0001-01-01", fiscal_year=2021) == dt.date(2000, 4, 1)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(1, 1, 1, tzinfo=TOKYO),
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC),
        dt.datetime(2021, 6, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=17))),
        dt.datetime(2021, 6, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=-13))),
    ],
)
def test_datetimes_out_of_range_or_with_impossible_offsets_are_refused(value):
    with pytest.raises(ValidationError):
        check_datetime(value)


def test_date_arithmetic_stays_in_range_or_is_refused():
    """A visit at the last supported hour without an end: its default two hours would leave
    the range (it overflowed before)."""
    late = dt.datetime(2101, 3, 31, 23, tzinfo=TOKYO)
    with pytest.raises(ValidationError):
        shifted(late, dt.timedelta(hours=2))
    assert shifted(late - dt.timedelta(hours=3), dt.timedelta(hours=2)).hour == 22


@pytest.mark.parametrize("text", ["a\x00b", "a\x0bb", "a\nb"])
def test_single_line_text_refuses_control_characters(text):
    with pytest.raises(ValidationError):
        check_text(text)
    assert check_text("行1\n行2", multiline=True) == "行1\n行2"


def test_staff_event_form_refuses_the_year_1_and_stores_nothing(center_staff):
    """On PostgreSQL this became a BC timestamp nobody could read back, and the form said 302."""
    response = client_for(center_staff).post(
        "/training/staff/events/new/",
        {
            "title": "講義",
            "kind": "lecture",
            "starts_at": "0001-01-01T00:00",
            "ends_at": "0001-01-01T02:00",
            "capacity": "30",
            "promotion_cutoff_hours": "48",
        },
    )

    assert response.status_code == 422
    assert (
        "日付は 平成12年4月1日（土） から 令和83年3月31日（木） までの範囲で入力してください。"
        in (response.content.decode())
    )
    assert Event.objects.count() == 0


def test_staff_event_form_refuses_a_capacity_of_two_to_the_31(center_staff):
    response = client_for(center_staff).post(
        "/training/staff/events/new/",
        {
            "title": "講義",
            "kind": "lecture",
            "starts_at": "2030-05-01T13:00",
            "ends_at": "2030-05-01T15:00",
            "capacity": str(2**31),
            "promotion_cutoff_hours": "48",
        },
    )

    assert response.status_code == 422
    assert Event.objects.count() == 0


def test_public_registration_form_refuses_a_vertical_tab_in_the_name(db):
    from tests.training.factories import EventFactory
    from training.models import Registration

    event = EventFactory()
    response = client_for(None).post(
        f"/training/events/{event.pk}/",
        {
            "name": "山田\x0b太郎",
            "email": "taro@example.jp",
            "affiliation_type": "welfare_commissioner",
            "language": "ja",
        },
    )

    assert response.status_code in (200, 422)
    assert "保存できない文字（U+000B）を取り除いてください。" in response.content.decode()
    assert Registration.objects.count() == 0


def test_the_database_refuses_what_no_path_may_store():
    """The check constraints hold even for a raw update() that skips every check."""
    from django.db import DataError, IntegrityError, transaction

    from tests.training.factories import CourseFactory, EventFactory, RegistrationFactory
    from training.models import Course, Registration

    event = EventFactory()
    registration = RegistrationFactory(event=event)
    course = CourseFactory()
    for queryset, change in [
        (Event.objects.filter(pk=event.pk), {"starts_at": dt.datetime(1, 1, 2, tzinfo=dt.UTC)}),
        (Course.objects.filter(pk=course.pk), {"fiscal_year": 0}),
        (Registration.objects.filter(pk=registration.pk), {"name": "あ" * 101}),
    ]:
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            queryset.update(**change)
