"""The one set of input limits: every API schema, form and query-string parser takes its bounds
from here, so that nothing reaches a service (or the database) that cannot be stored and read
back.

- Fiscal years 2000–2100 (FY2000 = 平成12年度 … FY2100); dates within them, 2000-04-01 to
  2101-03-31; datetimes whose Tokyo date is within them and whose UTC offset is between
  −12:00 and +14:00 (a datetime without one is Tokyo time).
- Text: at most as long as its column; no NUL, no other control character, no lone surrogate;
  line breaks (and tabs) only in multi-line fields.
- Integers within what their column holds; ids are positive 64-bit integers.

Each check exists twice in one place: a ``check_*`` function raising Django's ValidationError
(forms, services, models), and an ``Annotated`` type for django-ninja schemas and query
parameters, which raises the same message through pydantic and documents the bound in the
OpenAPI document (``minimum``, ``maximum``, ``maxLength``).
"""

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from core.fiscal import TOKYO, format_when
from core.input_patterns import DATE_PATTERN, DATETIME_PATTERN, text_pattern

MIN_FISCAL_YEAR = 2000
MAX_FISCAL_YEAR = 2100
MIN_DATE = dt.date(MIN_FISCAL_YEAR, 4, 1)
MAX_DATE = dt.date(MAX_FISCAL_YEAR + 1, 3, 31)
MIN_DATETIME = dt.datetime.combine(MIN_DATE, dt.time(), TOKYO)
MAX_DATETIME = dt.datetime.combine(MAX_DATE + dt.timedelta(days=1), dt.time(), TOKYO)
MIN_OFFSET = dt.timedelta(hours=-12)
MAX_OFFSET = dt.timedelta(hours=14)
INT16_MAX = 2**15 - 1
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
LONG_TEXT = 10_000
"""The length of a multi-line text column that has no length of its own (a TextField)."""
MAX_LIST = 1_000
"""The most ids one request may name."""
PAGE_SIZE = 100
"""The items a list endpoint answers when the request names no ``limit``."""
MAX_PAGE_SIZE = 500
"""The most items one page may hold: a larger ``limit`` is a 422 naming it, never clamped."""
MAX_PLANNED_VISITS = 100
"""The most visits a yearly plan may count (the API's ``planned``, the service, the form)."""
MAX_SERIES_VISITS = 24
"""The most visits one series schedules at once."""
MAX_REMINDER_DAYS = 60
"""The most days before an event a reminder may be sent."""
MAX_LIAISON_MEETINGS = 12
"""The most liaison meetings a block may be expected to hold in a fiscal year."""
MAX_CHECK_IN_BATCH = 500
"""The most scans (and undos) one device sends at once when its network comes back."""
MAX_SCANNED_TEXT = 200
"""The longest scanned text the door's check-in accepts (a check-in code is 41 characters)."""
MAX_DEVICE_ID = 64
"""The longest device id a check-in names (the page makes a 36-character UUID)."""
MAX_AFFILIATION_KINDS = 30
"""The most affiliation kinds a center's forms may offer (the profile's list)."""
MAX_OWN_AFFILIATION_KINDS = 50
"""The most kinds of its own a center may ever add (a removed one keeps its key and label)."""
AFFILIATION_LABEL_LENGTH = 50
"""The longest label of an affiliation kind."""
SURVEY_LIMITS = {"questions": 30, "choices": 12, "question": 200, "choice": 100}
"""A questionnaire (surveys): questions per survey, choices per question, their lengths."""
SURVEY_ANSWER = {"short_text": 200, "long_text": 2_000}
SURVEY_DAYS = (1, 60)
"""How many days a questionnaire's personal link stays valid (default 14)."""

_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# --- the checks (Django's ValidationError) -------------------------------------------------


def fiscal_year_message() -> str:
    return _("Enter a fiscal year from %(min)s to %(max)s.") % {
        "min": MIN_FISCAL_YEAR,
        "max": MAX_FISCAL_YEAR,
    }


def date_message() -> str:
    """The supported range in the words people read: 和暦 in Japanese (issue #21: ISO only in
    the API's fields, the feeds and file names)."""
    language = "ja" if (translation.get_language() or "ja").startswith("ja") else "en"
    return _("Enter a date from %(min)s to %(max)s.") % {
        "min": format_when(MIN_DATE, "date", language),
        "max": format_when(MAX_DATE, "date", language),
    }


def offset_message() -> str:
    return _("Enter a UTC offset from -12:00 to +14:00.")


def check_fiscal_year(value: int) -> int:
    if isinstance(value, bool) or not MIN_FISCAL_YEAR <= value <= MAX_FISCAL_YEAR:
        raise ValidationError(fiscal_year_message(), code="fiscal_year_range")
    return value


def check_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return check_datetime(value).astimezone(TOKYO).date()
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(date_message(), code="date_range")
    return value


def check_datetime(value: dt.datetime) -> dt.datetime:
    """The datetime, aware (Tokyo when it has no offset), within the range and the offsets."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=TOKYO)
    offset = value.utcoffset()
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise ValidationError(offset_message(), code="offset_range")
    try:
        inside = MIN_DATETIME <= value < MAX_DATETIME
    except OverflowError:  # pragma: no cover - aware comparison of extreme years
        inside = False
    if not inside:
        raise ValidationError(date_message(), code="date_range")
    return value


def shifted(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """``value + delta`` when the result is still within the range (date arithmetic: default
    end times, series, postponements); otherwise a ValidationError."""
    try:
        result = value + delta
    except OverflowError:
        raise ValidationError(date_message(), code="date_range") from None
    return check_datetime(result)


def shifted_date(value: dt.date, delta: dt.timedelta) -> dt.date:
    try:
        result = value + delta
    except OverflowError:
        raise ValidationError(date_message(), code="date_range") from None
    return check_date(result)


def check_integer(value: int, *, minimum: int = 0, maximum: int = INT32_MAX) -> int:
    if isinstance(value, bool) or not minimum <= value <= maximum:
        raise ValidationError(
            _("Enter a whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum},
            code="integer_range",
        )
    return value


def bad_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character that text may not hold (control characters, NUL, lone surrogates;
    line breaks and tabs unless multi-line), else None."""
    found = (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value)
    return found.group() if found else None


def character_message(value: str, *, multiline: bool = False) -> str:
    character = bad_character(value, multiline=multiline) or "\0"
    if character in ("\n", "\r"):
        return _("Enter this on one line.")
    return _("Remove the character U+%(code)04X: it cannot be stored.") % {"code": ord(character)}


def check_text(value: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    if bad_character(value, multiline=multiline) is not None:
        raise ValidationError(character_message(value, multiline=multiline), code="control")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(too_long_message(max_length), code="max_length")
    return value


def too_long_message(max_length: int) -> str:
    return _("Enter at most %(max)s characters.") % {"max": max_length}


def without_control_characters(value: str) -> str:
    """The text with every character removed that a spreadsheet cell cannot hold (exports)."""
    return _MULTI_LINE_BAD.sub("", value)


# --- the same as types for django-ninja schemas and query parameters -----------------------


def _pydantic(check, code: str):
    """Run a Django-style check inside pydantic: its message becomes the pydantic error."""

    def run(value):
        try:
            return check(value)
        except ValidationError as error:
            raise PydanticCustomError(code, error.messages[0]) from None

    return run


def _no_bool(value: Any) -> Any:
    """``true`` is not a number (pydantic would read it as 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError("not_a_number", _("Enter a number, not true or false."))
    return value


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("float_finite", _("Enter a number."))
    return value


def Integer(minimum: int = 0, maximum: int = INT32_MAX):
    """An integer type within [minimum, maximum], documented as such."""
    return Annotated[
        int,
        BeforeValidator(_no_bool),
        AfterValidator(
            _pydantic(lambda v: check_integer(v, minimum=minimum, maximum=maximum), "int_range")
        ),
        WithJsonSchema({"type": "integer", "minimum": minimum, "maximum": maximum}),
    ]


def Number(minimum: float, maximum: float):
    """A finite number within [minimum, maximum]."""

    def check(value: float) -> float:
        if not minimum <= value <= maximum:
            raise PydanticCustomError(
                "number_range",
                _("Enter a number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum},
            )
        return value

    return Annotated[
        float,
        BeforeValidator(_no_bool),
        BeforeValidator(_finite),
        AfterValidator(check),
        WithJsonSchema({"type": "number", "minimum": minimum, "maximum": maximum}),
    ]


def Text(max_length: int, *, multiline: bool = False, required: bool = False, blank_message=None):
    """Text of at most ``max_length`` characters without control characters (line breaks only
    when ``multiline``); ``required`` refuses an empty or blank value (``blank_message``, a
    lazy string, says why instead of 「このフィールドは必須です。」)."""

    def check(value: str) -> str:
        if required and not value.strip():
            raise PydanticCustomError("blank", str(blank_message or _("This field is required.")))
        return check_text(value, max_length=max_length, multiline=multiline)

    schema: dict = {
        "type": "string",
        "maxLength": max_length,
        "pattern": text_pattern(multiline=multiline, required=required),
    }
    if required:
        schema["minLength"] = 1
    return Annotated[str, AfterValidator(_pydantic(check, "text")), WithJsonSchema(schema), Field()]


def Email(max_length: int):
    """An email address (``Text`` documented with ``format: email``; the service checks it
    with Django's validator)."""
    kind = Text(max_length)
    schema = {"type": "string", "format": "email", "maxLength": max_length}
    return Annotated[kind, WithJsonSchema(schema)]


def OptionalEmail(max_length: int):
    """An email address or the empty string (none given)."""
    schema = {
        "type": "string",
        "anyOf": [{"format": "email", "maxLength": max_length}, {"maxLength": 0}],
    }
    return Annotated[Text(max_length), WithJsonSchema(schema)]


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError(
            "not_null", _("This field cannot be null: leave it out to keep its value.")
        )
    return value


def Keep(kind):
    """A field of a partial update (PATCH) whose column has no empty value: left out, the value
    stays; ``null`` is a 422 naming the field (it used to be read as "left out")."""
    return Annotated[kind, BeforeValidator(_not_null)]


def column(model, name: str, **options):
    """The Text type of a model's column: its max_length (a TextField: multi-line, LONG_TEXT).
    Whether it may be blank is the service's to say unless ``required=True`` (``Text``)."""
    field = model._meta.get_field(name)
    multiline = field.get_internal_type() == "TextField"
    return Text(field.max_length or LONG_TEXT, multiline=multiline, **options)


FiscalYear = Annotated[
    int,
    BeforeValidator(_no_bool),
    AfterValidator(_pydantic(check_fiscal_year, "fiscal_year_range")),
    WithJsonSchema({"type": "integer", "minimum": MIN_FISCAL_YEAR, "maximum": MAX_FISCAL_YEAR}),
]
Date = Annotated[
    dt.date,
    AfterValidator(_pydantic(check_date, "date_range")),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
DateTime = Annotated[
    dt.datetime,
    AfterValidator(_pydantic(check_datetime, "date_range")),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
Id = Integer(1, INT64_MAX)
"""A row id (BigAutoField)."""
SmallCount = Integer(0, INT16_MAX)
Count = Integer(0, INT32_MAX)


def Choice(choices):
    """One of the values of a Django ``TextChoices`` (a status, a kind) or of a list of
    ``(value, label)`` pairs, documented inline as an ``enum`` (an Enum class would become a
    component named after it, and ``Status`` is the name of several); any other value is a 422
    naming the field."""
    values = getattr(choices, "values", None) or [value for value, _label in choices]
    return Literal[tuple(values)]


class ListedIn:
    """An ``Annotated`` marker: the document lists ``values()`` as the field's ``enum``, read
    when the document is generated (values that depend on registrations or on the database:
    the audit trail's object kinds, a center's affiliation kinds). The check stays the
    service's, which may accept more (a kind only older rows carry)."""

    def __init__(self, values):
        self.values = values

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema["enum"] = list(self.values())
        return schema


def IdList(max_items: int = MAX_LIST):
    return Annotated[list[Id], Field(max_length=max_items)]


def existing(queryset, pk, *, field: str, message: str):
    """The row ``pk`` of ``queryset``, or a ValidationError on ``field`` (an unknown id in a
    request body is the sender's mistake in that field, 422, not a missing page)."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first() if pk <= INT64_MAX else None
    if row is None:
        raise ValidationError({field: message})
    return row


# --- query strings and field names ---------------------------------------------------------


def query_id(raw) -> int | None:
    """A row id read from a query string or a field's name (``?block=3``, ``municipality_7``):
    a positive 64-bit integer, else None. SQLite overflows on a larger one, so no id outside
    the range reaches a query."""
    if not isinstance(raw, str) or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= INT64_MAX else None


def query_date(raw) -> dt.date | None:
    """A date read from a query string (``?date=2027-05-01``): None when absent or unreadable;
    a ValidationError (``date_message``) when it is a date outside the range, so that the page
    can say so instead of overflowing in date arithmetic."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return check_date(value)


def check_row(instance) -> None:
    """Every column of a model instance within its bounds (text length and characters, dates,
    integers), as one ValidationError naming each field. Services call it through
    ``BoundedRow.save``, so that no path (API, form, admin, import, command) stores what the
    database would refuse or could not give back."""
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        if field.is_relation or field.primary_key:
            continue
        value = getattr(instance, field.attname, None)
        if value is None:
            continue
        kind = field.get_internal_type()
        try:
            if isinstance(value, str) and kind in {
                "CharField",
                "TextField",
                "EmailField",
                "URLField",
                "SlugField",
            }:
                check_text(value, max_length=field.max_length, multiline=kind == "TextField")
            elif isinstance(value, dt.datetime):
                check_datetime(value)
            elif isinstance(value, dt.date):
                check_date(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                check_integer(
                    value,
                    **INTEGER_BOUNDS.get(kind, {"minimum": -INT64_MAX - 1, "maximum": INT64_MAX}),
                )
        except ValidationError as error:
            errors.setdefault(field.name, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


INTEGER_BOUNDS = {
    "PositiveIntegerField": {"minimum": 0, "maximum": INT32_MAX},
    "PositiveSmallIntegerField": {"minimum": 0, "maximum": INT16_MAX},
    "PositiveBigIntegerField": {"minimum": 0, "maximum": INT64_MAX},
    "IntegerField": {"minimum": -INT32_MAX - 1, "maximum": INT32_MAX},
    "SmallIntegerField": {"minimum": -INT16_MAX - 1, "maximum": INT16_MAX},
}


class BoundedRow:
    """A model mixin: ``save()`` checks the row first (``check_row``). Put it before
    ``models.Model``."""

    def save(self, *args, **kwargs):
        check_row(self)
        return super().save(*args, **kwargs)


class InputSchema(Schema):
    """The base of every request body: a field the endpoint does not know is an error (422),
    not silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- forms ---------------------------------------------------------------------------------


class BoundedForm:
    """A form mixin applying the same limits to every field it cleaned: text without control
    characters (line breaks only in a Textarea), dates and datetimes within the range, integers
    within 32 bits unless the field says less, and a missing value that says what to enter. Put
    it before ``forms.Form``/``ModelForm``."""

    def _clean_fields(self):
        from core.forms import guide  # a missing value says what to enter (core/forms.py)

        guide(self)
        for field in self.fields.values():
            bound_ids(field)
            _say_nul(field)
        super()._clean_fields()
        getlist = getattr(self.files, "getlist", None)
        for name, field in self.fields.items():
            if (
                isinstance(field, forms.FileField)
                and getlist
                and len(getlist(self.add_prefix(name))) > 1
            ):
                self.add_error(name, _("Choose one file: this upload takes one file at a time."))
        for name, value in list(self.cleaned_data.items()):
            field = self.fields.get(name)
            if field is None:
                continue
            try:
                self.cleaned_data[name] = _bounded(field, value)
            except ValidationError as error:
                self.add_error(name, error)


class _NoNul(validators.ProhibitNullCharactersValidator):
    """The message the API gives for a NUL (Django's Japanese catalog says 「何か文字を入力して
    ください。」, which names another problem)."""

    def __call__(self, value):
        if "\x00" in str(value):
            raise ValidationError(character_message("\x00"), code=self.code)


def _say_nul(field: forms.Field) -> None:
    field.validators = [
        _NoNul() if isinstance(v, validators.ProhibitNullCharactersValidator) else v
        for v in field.validators
    ]


class IdChoiceMixin:
    """A model choice field (one or many) that refuses an id no 64-bit column holds before it
    queries: ``staff=9223372036854775808`` is 「正しく選択してください」, not an OverflowError on
    SQLite. ``BoundedForm`` gives every model choice field of its form this behaviour."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            text = str(item).strip() if item is not None else ""
            if text and self.to_field_name in (None, "pk", "id") and query_id(text) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return super().clean(value)


_ID_FIELD_CLASSES: dict[type, type] = {}


def bound_ids(field: forms.Field) -> None:
    """Make a model choice field refuse ids beyond 64 bits (``IdChoiceMixin``), whatever its
    class (a ModelForm's generated field, a project's subclass)."""
    cls = type(field)
    if not isinstance(field, forms.ModelChoiceField) or issubclass(cls, IdChoiceMixin):
        return
    if cls not in _ID_FIELD_CLASSES:
        _ID_FIELD_CLASSES[cls] = type(cls.__name__, (IdChoiceMixin, cls), {})
    field.__class__ = _ID_FIELD_CLASSES[cls]


def _bounded(field, value):
    if isinstance(value, str):
        multiline = isinstance(field.widget, forms.Textarea)
        return check_text(value, multiline=multiline)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return check_datetime(value)
    if isinstance(value, dt.date):
        return check_date(value)
    if isinstance(value, int):
        maximum = getattr(field, "max_value", None)
        minimum = getattr(field, "min_value", None)
        return check_integer(
            value,
            minimum=-INT32_MAX - 1 if minimum is None else minimum,
            maximum=INT32_MAX if maximum is None else min(maximum, INT32_MAX),
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(_("Enter a number."), code="invalid")
    return value
