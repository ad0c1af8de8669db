from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import BoundedForm
from directory.models import REPORT_SECTIONS, Block, District


class ApiTokenForm(BoundedForm, forms.Form):
    label = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: the script that exports the yearly report."),
    )


def _prefecture_choices():
    from directory.sources import prefectures

    return [("", "—")] + [(p.name, p.name) for p in prefectures()]


class CenterProfileForm(BoundedForm, forms.Form):
    prefecture = forms.ChoiceField(
        label=_("prefecture"), choices=_prefecture_choices, required=False
    )
    name = forms.CharField(label=_("name of the center"), max_length=100)
    short_name = forms.CharField(label=_("short name"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    fax = forms.CharField(label=_("FAX"), max_length=30, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    require_second_factor = forms.TypedChoiceField(
        label=_("Second factor for staff"),
        choices=[
            ("", _("The installation's default (required unless DEBUG)")),
            ("true", _("Required for every staff role")),
            ("false", _("Not required")),
        ],
        coerce=lambda value: value == "true",
        empty_value=None,
        required=False,
        help_text=_(
            "When required, staff log in with a password and an authenticator app or a passkey; a login without an enrolled factor reaches only the enrolment page."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, default in REPORT_SECTIONS.items():
            self.fields[f"section_{key}"] = forms.CharField(
                label=_("Report section: %(default)s") % {"default": default},
                max_length=100,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": default}),
                help_text=_("Empty: the report prints “%(default)s”.") % {"default": default},
            )

    @classmethod
    def initial_for(cls, profile) -> dict:
        initial = {name: getattr(profile, name) for name in (
            "prefecture", "name", "short_name", "phone", "fax", "email", "address"
        )}  # fmt: skip
        choice = profile.require_second_factor
        initial["require_second_factor"] = "" if choice is None else str(choice).lower()
        for key, value in (profile.sections or {}).items():
            initial[f"section_{key}"] = value
        return initial

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["sections"] = {key: data.pop(f"section_{key}", "") for key in REPORT_SECTIONS}
        return data


class BlockForm(BoundedForm, forms.Form):
    name = forms.CharField(label=_("Block name"), max_length=50)


class DistrictForm(BoundedForm, forms.Form):
    office_name = forms.CharField(
        label=_("Office name"),
        max_length=100,
        help_text=_("The health office (保健所・福祉保健所) whose area this is."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=District.Kind.choices)
    block = forms.ModelChoiceField(label=_("block"), queryset=Block.objects.all(), required=False)


class AreasImportForm(BoundedForm, forms.Form):
    districts = forms.FileField(
        label=_("Districts file (district,municipality_code)"), required=False
    )
    blocks = forms.FileField(label=_("Blocks file (block,district)"), required=False)

    MAX_BYTES = 1024 * 1024

    def clean(self):
        data = super().clean()
        if not data.get("districts") and not data.get("blocks"):
            raise forms.ValidationError(_("Choose a districts file, a blocks file or both."))
        for name in ("districts", "blocks"):
            upload = data.get(name)
            if upload and upload.size > self.MAX_BYTES:
                self.add_error(name, _("The file is too large (at most 1 MB)."))
        return data
