from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import BoundedForm
from privacy.person import EMAIL_MAX, NAME_MAX


class PersonForm(BoundedForm, forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=EMAIL_MAX,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Spaces are ignored. Give the address, the name or both."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
