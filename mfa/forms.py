from django import forms
from django.utils.translation import gettext_lazy as _

from core.inputs import BoundedForm


class CodeForm(BoundedForm, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
        ),
    )


class AppCodeForm(BoundedForm, forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code the app shows"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ResetForm(BoundedForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: lost the phone with the authenticator app."),
    )
