from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import vocabulary
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
    health_office_name = forms.CharField(
        label=_("name of the health offices"),
        max_length=20,
        required=False,
        help_text=_(
            "As the prefecture calls them (empty: 保健所): in roles, filters and headings."
        ),
    )
    affiliations = forms.CharField(
        label=_("affiliation kinds offered on forms"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    goal_fiscal_year = forms.IntegerField(
        label=_("case-meeting goal: fiscal year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Empty: no goal is shown."),
    )
    goal_share = forms.IntegerField(
        label=_("case-meeting goal: share of municipalities (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: 100."),
    )
    goal_wording = forms.CharField(
        label=_("case-meeting goal: wording"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        usual = "、".join(f"{kind} ({label})" for kind, label in vocabulary.affiliation_kinds())
        self.fields["affiliations"].help_text = _(
            "One kind a line, in the order the forms offer them, optionally with this center's "
            "label after a colon (community_center: …). Empty: the usual kinds. Kinds: %(kinds)s. "
            "A kind of the center's own: a line “+ label” adds one; leaving its line out stops "
            "offering it (what was stored with it keeps it and its label)."
        ) % {"kinds": usual}
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
            "prefecture", "name", "short_name", "phone", "fax", "email", "address",
            "health_office_name", "goal_fiscal_year", "goal_share", "goal_wording",
        )}  # fmt: skip
        choice = profile.require_second_factor
        initial["require_second_factor"] = "" if choice is None else str(choice).lower()
        own = dict(profile.own_affiliation_pairs())
        initial["affiliations"] = "\n".join(
            f"{kind}: {label or own.get(kind, '')}" if label or kind in own else kind
            for kind, label in profile.affiliation_pairs()
        )
        for key, value in (profile.sections or {}).items():
            initial[f"section_{key}"] = value
        return initial

    def clean_affiliations(self) -> list[list[str]]:
        """One kind a line: ``kind`` or ``kind: label`` (a usual kind or one of the center's
        own, ``own_N``), or ``+ label`` for a new kind of the center's own."""
        pairs = []
        for line in self.cleaned_data["affiliations"].splitlines():
            line = line.strip()
            if line[:1] in vocabulary.NEW:
                pairs.append(["+", line[1:].strip()])
                continue
            kind, _colon, label = line.replace("：", ":").partition(":")
            if kind.strip():
                pairs.append([kind.strip(), label.strip()])
        try:
            vocabulary.resolve_affiliations(pairs, vocabulary.own_kinds().items())
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["affiliations"]) from None
        return pairs

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["goal_share"] = data.get("goal_share") or 100
        data["sections"] = {key: data.pop(f"section_{key}", "") for key in REPORT_SECTIONS}
        return data


class BlockForm(BoundedForm, forms.Form):
    name = forms.CharField(label=_("Block name"), max_length=50)


class DistrictForm(BoundedForm, forms.Form):
    office_name = forms.CharField(
        label=_("Office name"),
        max_length=100,
        help_text=_("The health office whose area this is, as the prefecture names it."),
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
