"""The facts about a person that a registration (training.Registration) and a roster entry
(attendance.RosterEntry, a copy made on the day) both hold: name and its reading, how to reach
them, and where they work. One declaration, so a registration and the roster row copied from it
cannot drift apart (lengths, labels, choices). It lives in training, the lower of the two apps;
the personal fields are erased by privacy's retention job in both models alike.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.constraints import length_at_most
from directory.models import Municipality
from training.models.events import Audience

# The fields a roster entry copies from a registration.
PERSON_FIELDS = (
    "name",
    "kana",
    "email",
    "affiliation_type",
    "organization",
    "municipality",
    "job_title",
)


class PersonFields(models.Model):
    """Name, reading, email and affiliation (type, organization, municipality, job title).
    ``affiliation_type`` takes ``Audience``; a model with more kinds redeclares the field with
    its own choices (the column stays the same)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    kana = models.CharField(_("name in kana"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    affiliation_type = models.CharField(
        _("affiliation type"), max_length=30, choices=Audience.choices
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # Nothing reads a municipality's registrants or roster rows from the municipality.
        related_name="+",
        verbose_name=_("municipality"),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def person_facts(self) -> dict:
        """The person fields as a dict (what a roster entry copies from a registration)."""
        return {name: getattr(self, name) for name in PERSON_FIELDS}


def person_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The length checks of the person fields (SQLite does not enforce VARCHAR lengths)."""
    return [
        length_at_most(prefix, "name", 100),
        length_at_most(prefix, "organization", 200),
        length_at_most(prefix, "job_title", 100),
    ]
