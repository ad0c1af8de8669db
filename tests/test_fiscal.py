import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import fiscal

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


def test_fiscal_year_of_february_is_the_previous_year():
    assert fiscal.fiscal_year_of(dt.date(2022, 2, 10)) == 2021


def test_fiscal_year_edges():
    assert fiscal.fiscal_year_of(dt.date(2022, 3, 31)) == 2021
    assert fiscal.fiscal_year_of(dt.date(2022, 4, 1)) == 2022


def test_fiscal_year_of_datetime_is_taken_in_tokyo():
    just_after_midnight_in_tokyo = dt.datetime(2022, 3, 31, 15, 30, tzinfo=dt.UTC)

    assert fiscal.fiscal_year_of(just_after_midnight_in_tokyo) == 2022


def test_fiscal_year_of_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        fiscal.fiscal_year_of(dt.datetime(2022, 4, 1, 9, 0))


@given(dates)
def test_fiscal_year_contains_its_dates(day):
    year = fiscal.fiscal_year_of(day)

    assert fiscal.fiscal_year_start(year) <= day <= fiscal.fiscal_year_end(year)


@given(st.integers(min_value=1990, max_value=2100))
def test_fiscal_year_march_31_and_april_1_are_in_consecutive_years(year):
    march_31 = fiscal.fiscal_year_of(dt.date(year, 3, 31))
    april_1 = fiscal.fiscal_year_of(dt.date(year, 4, 1))

    assert (march_31, april_1) == (year - 1, year)


@given(st.integers(min_value=1990, max_value=2100))
def test_fiscal_year_bounds_are_a_year_of_tokyo_midnights(year):
    start, end = fiscal.fiscal_year_bounds(year)

    assert (start.date(), end.date()) == (dt.date(year, 4, 1), dt.date(year + 1, 4, 1))
    assert start.utcoffset() == dt.timedelta(hours=9)


def test_fiscal_year_labels():
    labels = [fiscal.fiscal_year_label(year) for year in (2018, 2019, 2020, 2021, 2023)]

    assert labels == ["平成30年度", "令和元年度", "令和2年度", "令和3年度", "令和5年度"]
    assert fiscal.fiscal_year_label(2021, "en") == "FY2021"


def test_wareki_forms_from_the_seed():
    day = dt.date(2021, 6, 10)

    assert fiscal.wareki_short(day) == "R3.6.10"
    assert fiscal.wareki_long(day) == "令和3年6月10日"


def test_wareki_at_the_era_change():
    assert fiscal.wareki_long(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert fiscal.wareki_long(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert fiscal.wareki_short(dt.date(2019, 4, 30)) == "H31.4.30"
    assert fiscal.wareki_short(dt.date(2019, 5, 1)) == "R1.5.1"


@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2100, 12, 31)))
def test_wareki_reiwa_year_is_gregorian_minus_2018(day):
    era, year = fiscal.era_year(day)

    assert (era.name, year) == ("令和", day.year - 2018)


@given(st.dates(min_value=dt.date(1989, 1, 8), max_value=dt.date(2019, 4, 30)))
def test_wareki_heisei_ends_on_april_30_2019(day):
    era, year = fiscal.era_year(day)

    assert (era.name, year) == ("平成", day.year - 1988)


def test_working_days_skip_golden_week_2026():
    # 4/29 昭和の日 (Wed), 5/3-5/6 憲法記念日・みどりの日・こどもの日・振替休日.
    assert fiscal.add_working_days(dt.date(2026, 5, 1), 1) == dt.date(2026, 5, 7)
    assert fiscal.previous_working_day(dt.date(2026, 5, 7)) == dt.date(2026, 5, 1)


def test_working_days_skip_the_year_end_break():
    assert fiscal.add_working_days(dt.date(2026, 12, 28), 1) == dt.date(2027, 1, 4)
    assert fiscal.previous_working_day(dt.date(2027, 1, 4)) == dt.date(2026, 12, 28)
    assert fiscal.holiday_name(dt.date(2026, 12, 29)) == "年末年始"
    assert fiscal.holiday_name(dt.date(2027, 1, 3)) == "年末年始"


def test_working_day_zero_offset_moves_to_the_next_working_day():
    assert fiscal.add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 30)
    assert fiscal.add_working_days(dt.date(2026, 11, 26), 0) == dt.date(2026, 11, 26)


def test_national_holiday_names_are_japanese():
    assert fiscal.holiday_name(dt.date(2026, 11, 23)) == "勤労感謝の日"


@given(dates, st.integers(min_value=-30, max_value=30))
def test_add_working_days_lands_on_a_working_day(day, count):
    result = fiscal.add_working_days(day, count)

    assert fiscal.is_working_day(result)
    assert (result >= day) if count >= 0 else (result < day)


def test_elapsed_fraction_of_the_fiscal_year():
    assert fiscal.elapsed_fraction(2021, dt.date(2021, 3, 31)) == 0.0
    assert fiscal.elapsed_fraction(2021, dt.date(2022, 3, 31)) == 1.0
    assert fiscal.elapsed_fraction(2021, dt.date(2021, 9, 30)) == pytest.approx(183 / 365)


def test_quarter_start():
    assert fiscal.quarter_start(2021, 3) == dt.date(2021, 10, 1)
    assert fiscal.quarter_start(2021, 4) == dt.date(2022, 1, 1)


def test_one_date_style_for_pages():
    start = dt.datetime(2026, 12, 14, 13, 30, tzinfo=fiscal.TOKYO)
    end = dt.datetime(2026, 12, 14, 15, 30, tzinfo=fiscal.TOKYO)

    assert fiscal.format_when(start) == "令和8年12月14日（月） 13:30"
    assert fiscal.format_when(start, "date") == "令和8年12月14日（月）"
    assert fiscal.format_when(start, "short") == "R8.12.14（月） 13:30"
    assert fiscal.format_when(start, "month") == "令和8年12月"
    assert fiscal.format_when(start.date()) == "令和8年12月14日（月）"
    assert fiscal.format_when(dt.date(2019, 5, 1)) == "令和元年5月1日（水）"
    assert fiscal.format_when(start, language="en") == "Mon 14 Dec 2026 13:30"
    assert fiscal.format_span(start, end) == "令和8年12月14日（月） 13:30～15:30"
    # UTC in, Tokyo out.
    assert fiscal.format_when(start.astimezone(dt.UTC), "time") == "13:30"


def test_the_wareki_filter_is_a_builtin_of_every_template():
    from django.template import Context, Template
    from django.utils import translation

    start = dt.datetime(2026, 12, 14, 4, 30, tzinfo=dt.UTC)
    template = Template("{{ start|wareki }} / {{ start|wareki:'shortdate' }}")
    with translation.override("ja"):
        assert (
            template.render(Context({"start": start}))
            == "令和8年12月14日（月） 13:30 / R8.12.14（月）"
        )
    with translation.override("en"):
        assert (
            template.render(Context({"start": start})) == "Mon 14 Dec 2026 13:30 / Mon 14 Dec 2026"
        )
