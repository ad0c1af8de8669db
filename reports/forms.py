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
