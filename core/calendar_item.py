"""One shape for every calendar item: a training event (``training.Event``), a visit
(``supervision.Visit``) and a lecturer dispatch (``supervision.LecturerDispatch``).

Each is a ``CalendarItem``: a status of its own kind, a start and an end, a place, a SEQUENCE
that the calendar feeds raise on every change, when it was cancelled, created and last changed,
and the same rules backed by the database (``calendar_item_constraints``): the end comes after
the start, both inside the range Sasaeru supports. A concrete model names its status choices
with ``status_field`` and lists ``calendar_item_constraints("<prefix>")`` in its Meta; the
system check below refuses a subclass that forgets them, so the three cannot drift apart again.

The columns are the ones the three models always had (an event's place is still its ``venue``:
``PLACE_FIELD`` names it), so adopting the base moved no data.
"""

import datetime as dt

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import datetime_in_range, length_at_most

ENDS_AFTER_START = _("The end must be after the start.")
PLACE_LENGTH = 200


def status_field(choices: type[models.TextChoices], default: str) -> models.CharField:
    """The status column every calendar item has, with the choices of its own kind."""
    return models.CharField(_("status"), max_length=20, choices=choices.choices, default=default)


def calendar_item_constraints(prefix: str) -> list[CheckConstraint]:
    """The database rules of a calendar item, named ``<prefix>_…`` as its table always had them."""
    return [
        CheckConstraint(
            name=f"{prefix}_ends_after_start",
            condition=Q(ends_at__gt=F("starts_at")),
            violation_error_message=ENDS_AFTER_START,
        ),
        datetime_in_range(prefix, "starts_at"),
        datetime_in_range(prefix, "ends_at"),
    ]


def place_constraint(prefix: str, field: str = "place") -> CheckConstraint:
    return length_at_most(prefix, field, PLACE_LENGTH)


def times_error(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> dict | None:
    """``{"ends_at": message}`` when the end is not after the start, else None: what a form, a
    service or an API schema says before the database would refuse the row."""
    if starts_at and ends_at and ends_at <= starts_at:
        return {"ends_at": ENDS_AFTER_START}
    return None


class CalendarItem(models.Model):
    """The fields and rules the three calendar items share (see the module docstring)."""

    # The calendar UID is "<UID_PREFIX>-<pk>@sasaeru"; the place is in the field PLACE_FIELD.
    UID_PREFIX: str = ""
    PLACE_FIELD = "place"

    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=PLACE_LENGTH, blank=True)
    # Raised by every change a calendar shows (time, place, status), so a subscribed calendar
    # replaces its copy of the entry.
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        error = times_error(self.starts_at, self.ends_at)
        if error:
            raise ValidationError(error)

    @property
    def ical_uid(self) -> str:
        return f"{self.UID_PREFIX}-{self.pk}@sasaeru"

    @property
    def where(self) -> str:
        """The place, whatever the model calls it."""
        return getattr(self, self.PLACE_FIELD)

    @property
    def length(self) -> dt.timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        if cls._meta.abstract:
            return errors
        names = {constraint.name for constraint in cls._meta.constraints}
        if not any(name.endswith("_ends_after_start") for name in names):
            errors.append(
                checks.Error(
                    f"{cls.__name__} is a CalendarItem without calendar_item_constraints() "
                    "in its Meta.constraints.",
                    obj=cls,
                    id="core.E101",
                )
            )
        if not cls.UID_PREFIX:
            errors.append(
                checks.Error(
                    f"{cls.__name__} is a CalendarItem without a UID_PREFIX.",
                    obj=cls,
                    id="core.E102",
                )
            )
        try:
            choices = dict(cls._meta.get_field("status").choices or ())
        except FieldDoesNotExist:
            choices = {}
        if "cancelled" not in choices:
            errors.append(
                checks.Error(
                    f"{cls.__name__} is a CalendarItem without a status_field() that can be "
                    "cancelled.",
                    obj=cls,
                    id="core.E103",
                )
            )
        return errors
