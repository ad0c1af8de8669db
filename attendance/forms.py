"""Forms of the staff pages. They parse input; the rules live in attendance.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.imports import MAX_BYTES
from attendance.models import RosterEntry, walk_in_choices
from core import uploads
from core.inputs import BoundedForm
from directory.models import Municipality


class StatusForm(BoundedForm, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=RosterEntry.Status.choices)
    reason = forms.CharField(
        label=_("reason (required after closing)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WalkInForm(BoundedForm, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kana = forms.CharField(label=_("name in kana"), max_length=200, required=False)
    affiliation_type = forms.ChoiceField(label=_("affiliation type"), choices=walk_in_choices)
    organization = forms.CharField(label=_("organization"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("municipality"), queryset=Municipality.objects.all(), required=False
    )
    job_title = forms.CharField(label=_("job title"), max_length=100, required=False)
    reason = forms.CharField(
        label=_("reason (required after closing)"), required=False, max_length=500
    )


class PaperForm(BoundedForm, forms.Form):
    """Mark everyone ticked on a paper sign-in sheet at once."""

    entries = forms.TypedMultipleChoiceField(
        label=_("people"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    status = forms.ChoiceField(
        label=_("mark as"),
        choices=[c for c in RosterEntry.Status.choices if c[0] != RosterEntry.Status.EXPECTED],
        initial=RosterEntry.Status.PRESENT,
    )
    reason = forms.CharField(
        label=_("reason (required after closing)"), required=False, max_length=500
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.id, e.name) for e in entries]


class ImportForm(BoundedForm, forms.Form):
    file = forms.FileField(
        label=_("participant report (CSV)"),
        help_text=_("The participant report of Zoom or Webex, as downloaded."),
    )

    def clean_file(self):
        """The size is checked before the file is read (core.uploads)."""
        upload = self.cleaned_data["file"]
        uploads.check_size(upload.size, label=_("participant report"), max_bytes=MAX_BYTES)
        return upload


class MinimumForm(BoundedForm, forms.Form):
    minimum_minutes = forms.IntegerField(
        label=_("minimum attended minutes"),
        required=False,
        min_value=1,
        max_value=1440,
        help_text=_("Empty means 60 percent of the event's length."),
    )


class ResolveForm(BoundedForm, forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("assign", _("assign")),
            ("walk_in", _("add as walk-in")),
            ("dismiss", _("dismiss")),
        ]
    )
    entry = forms.TypedChoiceField(label=_("person"), coerce=int, required=False)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "—")] + [(e.id, e.name) for e in entries]
