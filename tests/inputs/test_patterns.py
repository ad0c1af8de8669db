"""The OpenAPI patterns (``core.input_patterns``) say what the checks of ``core.inputs`` accept:
a text or a date matches its pattern exactly when the server takes it, and a datetime that
matches is always taken (its pattern is one day inside the offset-dependent bound). Whole-string
matches (``fullmatch``), as JSON Schema validators read ``$`` (Python's ``$`` also matches before a
final line break)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from core.input_patterns import DATE_PATTERN, DATETIME_PATTERN, text_pattern
from core.inputs import check_date, check_datetime, check_text

TEXTS = [
    "",
    " ",
    "\u3000",
    "a",
    " a ",
    "訪問",
    "a\nb",
    "a\n",
    "a\tb",
    "a\rb",
    "\x00",
    "a\x1fb",
    "\x7f",
    "\x85",
    "\x9f",
    "\xa0x",
    "\ufffe",
    "\uffff",
    "😀",
    "\u2028x",
]


def _accepted(check) -> bool:
    try:
        check()
    except (ValidationError, ValueError):
        return False
    return True


@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("required", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_a_text_matches_its_pattern_exactly_when_the_server_takes_it(text, multiline, required):
    taken = _accepted(lambda: check_text(text, multiline=multiline)) and (
        not required or bool(text.strip())
    )

    assert bool(re.fullmatch(text_pattern(multiline=multiline, required=required), text)) == taken


DATES = [
    "2000-03-31",
    "2000-04-01",
    "2000-12-31",
    "2050-02-28",
    "2100-12-31",
    "2101-03-31",
    "2101-04-01",
    "1999-12-31",
    "9999-12-31",
    "0001-01-01",
    "2027-13-01",
    "2027-01-32",
]


@pytest.mark.parametrize("text", DATES)
def test_a_date_matches_its_pattern_exactly_when_the_server_takes_it(text):
    taken = _accepted(lambda: check_date(dt.date.fromisoformat(text)))

    assert bool(re.fullmatch(DATE_PATTERN, text)) == taken


DATETIMES = [
    "2000-04-02T00:00:00-12:00",
    "2000-04-01T23:00:00+14:00",
    "2101-03-30T23:59:59.999999-12:00",
    "2101-03-31T00:00:00+09:00",
    "2027-06-01T10:00:00Z",
    "2027-06-01T10:00+09:00",
    "2027-06-01T10:00:00-12:30",
    "2027-06-01T10:00:00+14:30",
    "2027-06-01T24:00:00Z",
    "2000-03-31T23:00:00Z",
    "2101-04-01T00:00:00Z",
    "2027-06-01T10:00:00+13:45",
]


@pytest.mark.parametrize("text", DATETIMES)
def test_a_datetime_matching_its_pattern_is_taken(text):
    if re.fullmatch(DATETIME_PATTERN, text):
        assert _accepted(lambda: check_datetime(dt.datetime.fromisoformat(text)))


def test_the_datetime_pattern_refuses_what_the_server_refuses():
    refused = [
        t
        for t in DATETIMES
        if not _accepted(lambda t=t: check_datetime(dt.datetime.fromisoformat(t)))
    ]

    assert refused and not [t for t in refused if re.fullmatch(DATETIME_PATTERN, t)]
