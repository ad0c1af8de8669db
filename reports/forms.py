"""The form center staff use to enter section １'s figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import center
from core.inputs import BoundedForm
from reports.models import ConsultationChannel, DirectSupportFigures
from reports.sections import SECTION_TITLES

MAX_FIGURE = 10_000_000


def _number(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_FIGURE,
        error_messages={"min_value": _("Enter a number of 0 or more.")},
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
    )


class DirectSupportForm(BoundedForm, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=DirectSupportFigures.Period.choices)

    def __init__(self, *args, channels: list[ConsultationChannel], **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = channels
        for channel in channels:
            self.fields[f"channel_{channel.pk}"] = _number(channel.name)
        ibasho = center.current().sections.get("ibasho") or SECTION_TITLES["ibasho"]
        self.fields["ibasho_participants"] = _number(
            _("%(name)s: participants (total attendances)") % {"name": ibasho}
        )
        self.fields["social_experience_people"] = _number(_("社会体験事業: people"))
        self.fields["social_experience_workplaces"] = _number(_("社会体験事業: workplaces"))
        self.fields["social_experience_days"] = _number(_("社会体験事業: days"))

    def channel_fields(self):
        return [self[f"channel_{channel.pk}"] for channel in self.channels]

    def consultations(self) -> dict[int, int]:
        return {channel.pk: self.cleaned_data[f"channel_{channel.pk}"] for channel in self.channels}


class ChannelForm(BoundedForm, forms.Form):
    name = forms.CharField(label=_("New consultation channel"), max_length=40)


NOTE_LABELS = {
    "direct_support": _("Notes: 1 direct support"),
    "regional_support": _("Notes: 2 regional support"),
    "liaison": _("Notes: 2 (1) liaison meetings (under the heading)"),
    "partner_support": _("Notes: 2 (2) support of partner organizations (under the heading)"),
    "training": _("Notes: 3 training"),
    "training_course": _("Notes: 3 (1) training course"),
    "awareness": _("Notes: 4 awareness"),
    "awareness_events": _("Notes: 4 (1) awareness events (after the events)"),
    "issues": _("課題・対策 (after the report)"),
}


class ReportSettingsForm(BoundedForm, forms.Form):
    """The report's date, period label and notes per section (``services.save_settings``)."""

    as_of = forms.DateField(
        label=_("Report date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today, or the fiscal year's last day for a past year."),
    )
    period_label = forms.CharField(
        label=_("Period label"),
        max_length=40,
        required=False,
        help_text=_("Printed in every section's heading for that date, e.g. R3.4～9月末."),
    )
    survey_satisfaction = forms.BooleanField(
        label=_("Print each training's satisfaction from its questionnaire (section ３)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in NOTE_LABELS.items():
            self.fields[f"notes_{key}"] = forms.CharField(
                label=label,
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def notes(self) -> dict:
        return {key: self.cleaned_data[f"notes_{key}"] for key in NOTE_LABELS}
