"""Forms parse input; the services decide. A service's ValidationError is put back on the form
field it names (``core.forms.add_service_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import vocabulary
from core.forms import FiscalYearField, guide
from core.inputs import BoundedForm
from core.vocabulary import words
from directory.models import Block, District, Municipality, User
from training.models import Course, Event, EventPart, Lecturer, Registration


class RegistrationForm(BoundedForm, forms.Form):
    """The public registration form (staff see the same form with phone/fax fields)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kana = forms.CharField(label=_("Name in kana"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=True)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional: for the center to reach you on the day."),
    )
    affiliation_type = forms.ChoiceField(
        label=_("Affiliation type"), choices=vocabulary.affiliation_choices
    )
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=words(_("(none / outside the prefecture)")),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    language = forms.ChoiceField(
        label=_("Language of emails"),
        choices=Registration.Language.choices,
        initial=Registration.Language.JAPANESE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nobody is a 民生委員 by default: the reader chooses (「選択してください」).
        guide(self, prompts=("affiliation_type",))

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        municipality = data.pop("municipality")
        data["municipality_id"] = municipality.pk if municipality else None
        return data


class StaffRegistrationForm(RegistrationForm):
    """A registration taken by phone or fax: email optional, a phone number instead."""

    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    source = forms.ChoiceField(
        label=_("Received by"),
        choices=[
            (Registration.Source.PHONE, pgettext_lazy("received by", "phone")),
            (Registration.Source.FAX, _("fax")),
            (Registration.Source.STAFF, _("entered by staff")),
        ],
    )


class CourseForm(BoundedForm, forms.ModelForm):
    fiscal_year = FiscalYearField(label=_("Fiscal year"))

    class Meta:
        model = Course
        fields = ["fiscal_year", "title", "description"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


NOT_ON_THE_FORM = ("promotion_cutoff", "invited_organization_kinds")


class EventForm(BoundedForm, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=vocabulary.affiliation_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    join_url = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_(
            "Private: shown only to confirmed registrants, from 30 minutes before the start."
        ),
    )
    promotion_cutoff_hours = forms.IntegerField(
        label=_("Automatic promotion cut-off (hours before the start)"),
        min_value=0,
        initial=48,
    )

    class Meta:
        model = Event
        # The editable fields but the cut-off (entered in hours, below) and the invited
        # organization kinds (liaison meetings, planned in supervision); plus the staff.
        fields = [
            *(f for f in Event.EDITABLE_FIELDS if f not in NOT_ON_THE_FORM),
            "staff",
        ]
        widgets = {
            "staff": forms.CheckboxSelectMultiple,
            **{name: DateTimeInput() for name in Event.TIME_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = Block.objects.all()
        self.fields["co_host_district"].queryset = District.objects.all()
        self.fields["staff"].queryset = User.objects.center_staff().order_by(
            "last_name", "first_name", "username"
        )
        for name in Event.TIME_FIELDS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        offered = vocabulary.affiliation_choices()
        kept = [kind for kind in self.instance.audiences or [] if kind not in dict(offered)]
        # A kind the center no longer offers stays on the event it was chosen for until staff
        # untick it (core.vocabulary: what was stored keeps its kind).
        self.fields["audiences"].choices = offered + [
            (kind, vocabulary.affiliation_label(kind)) for kind in kept
        ]
        if self.instance.pk:
            self.fields["promotion_cutoff_hours"].initial = int(
                self.instance.promotion_cutoff.total_seconds() // 3600
            )

    def event_fields(self) -> dict:
        import datetime as dt

        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["promotion_cutoff"] = dt.timedelta(hours=self.cleaned_data["promotion_cutoff_hours"])
        return data


class LecturerForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Lecturer
        fields = ["name", "kana", "affiliation", "title", "honorific", "print_style"]


class EventPartForm(BoundedForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventPart.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    lecturers = forms.ModelMultipleChoiceField(
        label=_("Lecturers"),
        queryset=Lecturer.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Lecturers of a lecture are 講師, those of a dialogue 対談者."),
    )

    def service_arguments(self) -> dict:
        return {
            "kind": self.cleaned_data["kind"],
            "title": self.cleaned_data["title"],
            "lecturer_ids": [lecturer.pk for lecturer in self.cleaned_data["lecturers"]],
        }
