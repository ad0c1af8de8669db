"""Forms parse input for the staff pages; the services decide. A service's ValidationError is
put back on the field it names (``core.forms.add_service_errors`` with ``SERVICE_FIELDS``)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fiscal import TOKYO
from core.forms import FiscalYearField, Guided
from core.inputs import BoundedForm
from core.vocabulary import words
from directory.models import Block, District, Municipality, PartnerOrganization, User
from supervision.models import Target, Visit

# The services' field names that these forms show under another field.
SERVICE_FIELDS = {
    "new_starts_at": "date",
    "starts_at": "date",
    "ends_at": "minutes",
    "target_id": "target",
    "staff_ids": "staff",
    "block_id": "block",
    "municipality_id": "municipality",
    "co_host_district_id": "co_host_district",
}


def ids(rows) -> list[int]:
    return [row.pk for row in rows]


def id_of(row) -> int | None:
    return None if row is None else row.pk


class StaffChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


class TargetChoiceField(forms.ModelChoiceField):
    """訪問先, grouped for the select: the municipalities by block, then the health offices'
    districts, then the partner organizations. Searchable: static/js/site.js puts a filter box
    before every ``select[data-search-label]`` (without JavaScript it is a plain select)."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "data-search-label": _("Filter the targets")}

    def label_from_instance(self, obj):
        return obj.name

    def _get_choices(self):
        municipal: dict[str, list] = {}
        others: dict[str, list] = {}
        for target in self.queryset:
            groups = municipal if target.kind == Target.Kind.MUNICIPALITY else others
            groups.setdefault(_group_of(target), []).append((target.pk, target.name))
        blank = [("", self.empty_label)] if self.empty_label is not None else []
        return blank + list(municipal.items()) + list(others.items())

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


def _group_of(target) -> str:
    if target.kind == Target.Kind.MUNICIPALITY and target.municipality_id:
        if target.municipality.block_id is None:  # before the districts and blocks are imported
            return str(_("municipalities"))
        return _("%(block)s block (municipalities)") % {"block": target.municipality.block.name}
    return str(target.get_kind_display())


def _targets():
    return Target.objects.select_related(
        "municipality__block", "district", "organization"
    ).order_by(
        "kind",
        "municipality__block__order",
        "municipality__order",
        "district__order",
        "organization__name",
    )


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, TOKYO)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class VisitForm(Guided, BoundedForm, forms.Form):
    target = TargetChoiceField(label=_("Target"), queryset=Target.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput, initial=dt.time(13, 30))
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    staff = StaffChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("May be read by the municipality. No names of supported persons."),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Center staff only. Never shown to municipalities or in feeds."),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets if targets is not None else _targets()
        self.fields["staff"].queryset = User.objects.center_staff()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at = combine(data["date"], data["time"])
        return {
            "target_id": data["target"].pk,
            "kind": data["kind"],
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=data["minutes"]),
            "place": data["place"],
            "staff_ids": ids(data["staff"]),
            "public_summary": data["public_summary"],
            "confidential_notes": data["confidential_notes"],
        }


class SeriesForm(Guided, BoundedForm, forms.Form):
    """Several visits at once: a first date, then every N weeks or months."""

    EVERY_CHOICES = [
        ("1w", _("every week")),
        ("2w", _("every 2 weeks")),
        ("1m", _("every month")),
        ("2m", _("every 2 months")),
        ("3m", _("every 3 months")),
    ]

    target = TargetChoiceField(label=_("Target"), queryset=Target.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    first_date = forms.DateField(label=_("First date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput, initial=dt.time(14, 0))
    count = forms.IntegerField(label=_("Number of visits"), min_value=1, max_value=24, initial=5)
    every = forms.ChoiceField(label=_("Repeat"), choices=EVERY_CHOICES, initial="2m")
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    staff = StaffChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _targets()
        self.fields["staff"].queryset = User.objects.center_staff()

    def dates(self) -> list[dt.date]:
        data = self.cleaned_data
        first, count, every = data["first_date"], data["count"], data["every"]
        step, unit = int(every[:-1]), every[-1]
        dates = []
        for index in range(count):
            if unit == "w":
                dates.append(first + dt.timedelta(weeks=step * index))
            else:
                month = first.month - 1 + step * index
                year, month = first.year + month // 12, month % 12 + 1
                day = min(first.day, _days_in_month(year, month))
                dates.append(dt.date(year, month, day))
        return dates

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "target_id": data["target"].pk,
            "kind": data["kind"],
            "starts_at": [combine(day, data["time"]) for day in self.dates()],
            "length": dt.timedelta(minutes=data["minutes"]),
            "place": data["place"],
            "staff_ids": ids(data["staff"]),
        }


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


class CompleteForm(Guided, BoundedForm, forms.Form):
    id_prefix = "complete"
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("May be read by the municipality. No names of supported persons."),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Center staff only. Never shown to municipalities or in feeds."),
    )


class VisitDetailsForm(Guided, BoundedForm, forms.Form):
    """Place, staff and texts of a visit, changeable until it is cancelled."""

    id_prefix = "details"

    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    staff = StaffChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("May be read by the municipality. No names of supported persons."),
    )
    confidential_notes = forms.CharField(
        label=_("Confidential notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Center staff only. Never shown to municipalities or in feeds."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.center_staff()


class CancelForm(Guided, BoundedForm, forms.Form):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReopenForm(Guided, BoundedForm, forms.Form):
    id_prefix = "reopen"
    reason = forms.CharField(
        label=_("Why is the visit reopened?"),
        max_length=500,
        help_text=_("Kept in the visit's history."),
    )


class PostponeForm(Guided, BoundedForm, forms.Form):
    id_prefix = "postpone"
    date = forms.DateField(label=_("New date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def new_starts_at(self) -> dt.datetime:
        return combine(self.cleaned_data["date"], self.cleaned_data["time"])


class PlanForm(Guided, BoundedForm, forms.Form):
    planned = forms.IntegerField(label=_("Planned visits"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        required=False,
        help_text=_("Needed when an existing plan changes."),
    )


class NewPlanForm(PlanForm):
    target = TargetChoiceField(label=_("Target"), queryset=Target.objects.none())
    fiscal_year = FiscalYearField(label=_("Fiscal year"))
    field_order = ["target", "fiscal_year", "planned", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _targets()


class CaseMeetingForm(Guided, BoundedForm, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all()
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    remarks = forms.CharField(
        label=_("Remarks"),
        max_length=200,
        required=False,
        help_text=_("No names of supported persons."),
    )


class DispatchForm(Guided, BoundedForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    host = forms.CharField(label=_("Host organization"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput, initial=dt.time(13, 30))
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=24 * 60, initial=90
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    staff = StaffChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.center_staff()

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at = combine(data["date"], data["time"])
        return {
            "title": data["title"],
            "host": data["host"],
            "municipality_id": id_of(data["municipality"]),
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=data["minutes"]),
            "place": data["place"],
            "staff_ids": ids(data["staff"]),
        }


class DispatchCancelForm(Guided, BoundedForm, forms.Form):
    """Cancelling a dispatch asks only to confirm it (the dispatch keeps its record)."""

    id_prefix = "cancel"
    confirm = forms.BooleanField(
        label=_("Yes, take this dispatch off the calendar"),
        error_messages={"required": _("Tick the box to cancel the dispatch.")},
    )


class FilterForm(BoundedForm, forms.Form):
    """Dashboard filters: fiscal year, as-of date, block, district, target kind."""

    fiscal_year = FiscalYearField(label=_("Fiscal year"), required=False, blank="—")
    as_of = forms.DateField(label=_("As of"), widget=DateInput, required=False)
    block = forms.ModelChoiceField(
        label=_("Block"), queryset=Block.objects.all(), required=False, empty_label=_("all")
    )
    district = forms.ModelChoiceField(
        label=words(_("District")),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("all"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all")), *Target.Kind.choices], required=False
    )


class LiaisonMeetingForm(Guided, BoundedForm, forms.Form):
    block = forms.ModelChoiceField(label=_("Block"), queryset=Block.objects.all())
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: 〇〇ブロック ひきこもり支援者連絡会議"),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    time = forms.TimeField(label=_("Time"), widget=TimeInput, initial=dt.time(13, 30))
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=24 * 60, initial=150
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    co_host_district = forms.ModelChoiceField(
        label=words(_("Co-hosting health office")), queryset=District.objects.all(), required=False
    )
    invited_organization_kinds = forms.MultipleChoiceField(
        label=_("Invited organization kinds"),
        choices=PartnerOrganization.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff = StaffChoiceField(label=_("Staff"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = User.objects.center_staff()
        self.fields["co_host_district"].label_from_instance = lambda district: district.office_name

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        starts_at = combine(data["date"], data["time"])
        return {
            "block_id": data["block"].pk,
            "title": data["title"],
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=data["minutes"]),
            "venue": data["venue"],
            "co_host_district_id": id_of(data["co_host_district"]),
            "invited_organization_kinds": data["invited_organization_kinds"],
            "staff_ids": ids(data["staff"]),
        }
