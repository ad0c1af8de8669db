"""Forms of the subscription pages. The choices offered are what the user may issue
(feeds.permissions); the view checks the permission again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CHOOSE_PROMPT
from core.inputs import BoundedForm
from core.vocabulary import words
from directory.models import Block, District, Municipality, User
from directory.permissions import Role, municipality_ids_in_scope, role_of
from feeds.models import Subscription


class IssueForm(BoundedForm, forms.Form):
    kind = forms.ChoiceField(label=_("Calendar of"), widget=forms.RadioSelect)
    municipality = forms.ModelChoiceField(
        label=_("municipality"), queryset=Municipality.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=words(_("health office's district")), queryset=District.objects.none(), required=False
    )
    block = forms.ModelChoiceField(label=_("block"), queryset=Block.objects.none(), required=False)
    staff_member = forms.ModelChoiceField(
        label=_("staff member"), queryset=User.objects.none(), required=False
    )
    label = forms.CharField(
        label=_("label"),
        max_length=100,
        help_text=_("Who uses this link, e.g. 保健福祉課 共有カレンダー"),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role = role_of(user)
        scope = municipality_ids_in_scope(user)
        municipalities = Municipality.objects.all()
        blocks = Block.objects.all()
        districts = District.objects.all()
        staff = User.objects.exclude(role="").filter(is_active=True).order_by("last_name", "id")
        if scope is not None:
            municipalities = municipalities.filter(id__in=scope)
            # A block spans municipalities outside any one district: center staff only.
            blocks = blocks.none()
            districts = districts.filter(pk=user.district_id or 0)
            staff = staff.filter(pk=user.pk) if role == Role.HEALTH_OFFICE else staff.none()
        self.fields["municipality"].queryset = municipalities
        self.fields["district"].queryset = districts
        self.fields["block"].queryset = blocks
        self.fields["staff_member"].queryset = staff
        kinds = [Subscription.Kind.MUNICIPALITY]
        if role == Role.CENTER:
            kinds += [Subscription.Kind.DISTRICT, Subscription.Kind.BLOCK, Subscription.Kind.STAFF]
        elif role == Role.HEALTH_OFFICE:
            kinds += [Subscription.Kind.DISTRICT, Subscription.Kind.STAFF]
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["kind"].initial = kinds[0].value
        self.fields["label"].initial = _("Calendar of %(name)s") % {"name": user}
        # Guide: no empty select that does not apply, and the only choice already chosen.
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["municipality"].empty_label = CHOOSE_PROMPT
        self.fields["district"].empty_label = CHOOSE_PROMPT
        if scope is not None:  # (center staff have every choice: no query spent on this)
            if len(districts) == 1:
                self.fields["district"].initial = districts[0].pk
                self.fields["district"].empty_label = None
            for name in ("district", "block", "staff_member"):
                if not self.fields[name].queryset.exists():
                    del self.fields[name]
            if len(scope) == 1:
                self.fields["municipality"].initial = next(iter(scope))
                self.fields["municipality"].empty_label = None

    def clean(self):
        data = super().clean()
        field = {
            Subscription.Kind.MUNICIPALITY: "municipality",
            Subscription.Kind.DISTRICT: "district",
            Subscription.Kind.BLOCK: "block",
            Subscription.Kind.STAFF: "staff_member",
        }.get(data.get("kind"))
        if field and not data.get(field):
            self.add_error(field, _("Choose one."))
        elif field:
            data["target"] = data[field]
        return data


class RegistrantLinkForm(BoundedForm, forms.Form):
    label = forms.CharField(
        label=_("label"),
        max_length=100,
        initial=_("My calendar"),
        help_text=_("To recognise the link later, e.g. the app you use."),
    )
