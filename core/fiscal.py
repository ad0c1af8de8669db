"""Fiscal years (年度), Japanese eras (和暦) and working days: the one place for this logic.

- A fiscal year runs from 1 April to 31 March and is named by the year it starts in:
  2022-02-10 belongs to FY2021 (令和3年度).
- Eras: 平成 from 1989-01-08, 令和 from 2019-05-01. A fiscal year is named in the era in force
  at its end, counted from its start year: FY2019 is 令和元年度, FY2018 平成30年度.
- Working days exclude weekends, Japanese national holidays (from the ``holidays`` package,
  which follows the Cabinet Office's list) and the year-end break 12/29-1/3.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    starts: dt.date


ERAS = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
)


def today() -> dt.date:
    """Today in Asia/Tokyo, whatever the server's clock zone."""
    return dt.datetime.now(TOKYO).date()


def local_date(value: dt.datetime | dt.date) -> dt.date:
    """The calendar date in Tokyo of an aware datetime (a date stays as it is)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: Sasaeru works with aware datetimes only")
        return value.astimezone(TOKYO).date()
    return value


# --- fiscal years -------------------------------------------------------------------------


def fiscal_year_of(value: dt.date | dt.datetime) -> int:
    """The fiscal year a date (or an aware datetime, taken in Tokyo) belongs to."""
    day = local_date(value)
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year, 4, 1)


def fiscal_year_end(fiscal_year: int) -> dt.date:
    """The last day (31 March) of the fiscal year."""
    return dt.date(fiscal_year + 1, 3, 31)


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.datetime, dt.datetime]:
    """Aware [start, end) instants of the fiscal year in Tokyo, for filtering datetimes."""
    start = dt.datetime.combine(fiscal_year_start(fiscal_year), dt.time(), TOKYO)
    end = dt.datetime.combine(fiscal_year_start(fiscal_year + 1), dt.time(), TOKYO)
    return start, end


def elapsed_fraction(fiscal_year: int, as_of: dt.date) -> float:
    """How much of the fiscal year has passed by the end of ``as_of``: 0.0 before it, 1.0 after."""
    start, end = fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def quarter_start(fiscal_year: int, quarter: int) -> dt.date:
    """First day of a fiscal quarter (1 = April, 3 = October)."""
    month = 4 + 3 * (quarter - 1)
    return dt.date(fiscal_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


# --- eras ---------------------------------------------------------------------------------


def era_of(day: dt.date) -> Era:
    for era in ERAS:
        if day >= era.starts:
            return era
    raise ValueError(f"{day} is before the eras Sasaeru knows")


def era_year(day: dt.date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.starts.year + 1


def _year_number(year: int) -> str:
    return "元" if year == 1 else str(year)


def wareki_short(value: dt.date | dt.datetime) -> str:
    """The short form used in the seed: R3.6.10."""
    day = local_date(value)
    era, year = era_year(day)
    return f"{era.letter}{year}.{day.month}.{day.day}"


def wareki_long(value: dt.date | dt.datetime) -> str:
    """The long form: 令和3年6月10日 (令和元年5月1日 for the first year)."""
    day = local_date(value)
    era, year = era_year(day)
    return f"{era.name}{_year_number(year)}年{day.month}月{day.day}日"


WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The styles of format_when: what a page shows of a date or a datetime.
#   long   令和8年12月14日（月） 13:30    (the default; a date alone drops the time)
#   date   令和8年12月14日（月）
#   short  R8.12.14（月） 13:30           (where space is tight)
#   shortdate R8.12.14（月）
#   time   13:30
#   month  令和8年12月                    (a month's heading)
DATE_STYLES = ("long", "date", "short", "shortdate", "time", "month")


def format_when(value: dt.date | dt.datetime, style: str = "long", language: str = "ja") -> str:
    """A date or an aware datetime as pages show it, in one style: 和暦 with the weekday in
    Japanese (令和8年12月14日（月） 13:30), "Mon 14 Dec 2026 13:30" in English. ISO 8601 stays
    in the API and the feeds."""
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}")
    has_time = isinstance(value, dt.datetime)
    local = value.astimezone(TOKYO) if has_time else value
    day = local.date() if has_time else local
    time = f"{local:%H:%M}" if has_time else ""
    if style == "time":
        return time
    if style == "month":
        if language != "ja":
            return f"{MONTHS_EN[day.month - 1]} {day.year}"
        era, year = era_year(day)
        return f"{era.name}{_year_number(year)}年{day.month}月"
    if language == "ja":
        era, year = era_year(day)
        weekday = f"（{WEEKDAYS_JA[day.weekday()]}）"
        if style in ("short", "shortdate"):
            text = f"{era.letter}{year}.{day.month}.{day.day}{weekday}"
        else:
            text = f"{era.name}{_year_number(year)}年{day.month}月{day.day}日{weekday}"
    else:
        text = f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    if time and style in ("long", "short"):
        text += f" {time}"
    return text


def format_span(start: dt.datetime, end: dt.datetime | None, language: str = "ja", *, short=False):
    """令和8年12月14日（月） 13:30～15:30; the end's date too when it is another day."""
    text = format_when(start, "short" if short else "long", language)
    if end is None:
        return text
    dash = "～" if language == "ja" else "–"
    if end.astimezone(TOKYO).date() != start.astimezone(TOKYO).date():
        return f"{text}{dash}{format_when(end, 'short' if short else 'long', language)}"
    return f"{text}{dash}{format_when(end, 'time', language)}"


def fiscal_year_label(fiscal_year: int, language: str = "ja") -> str:
    """令和3年度 in Japanese, FY2021 in English."""
    if language != "ja":
        return f"FY{fiscal_year}"
    era = era_of(fiscal_year_end(fiscal_year))
    year = fiscal_year - era.starts.year + 1
    return f"{era.name}{_year_number(year)}年度"


# --- working days -------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja"))


YEAR_END_BREAK = "年末年始"


def is_year_end_break(day: dt.date) -> bool:
    """Whether ``day`` is in the year-end break (年末年始), 12/29-1/3."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def holiday_name(day: dt.date) -> str | None:
    """The national holiday's name (祝日), or ``YEAR_END_BREAK`` for 12/29-1/3, or None."""
    if is_year_end_break(day):
        return YEAR_END_BREAK
    return _national_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after (negative: before) ``day``; 0 gives ``day`` itself
    if it is a working day, else the next working day."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    if remaining == 0:
        while not is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def previous_working_day(day: dt.date) -> dt.date:
    """The last working day strictly before ``day`` (the day to remind of something on ``day``)."""
    return add_working_days(day, -1)
