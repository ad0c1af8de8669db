"""Putting a service's errors back on the form that sent its input, and forms that guide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict


def add_service_errors(
    form: forms.Form, error: ValidationError | Conflict, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError (or Conflict) on the form: each message under the field
    it names (``aliases`` maps a service's field name to the form's), otherwise above the form."""
    if isinstance(error, Conflict):
        form.add_error(None, error.message)
        return
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    aliases = aliases or {}
    for field, messages in error.message_dict.items():
        name = aliases.get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def error_text(error: ValidationError | Conflict) -> str:
    """A service error as one sentence for a flash message."""
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.messages)


# --- forms that guide ------------------------------------------------------------------------

CHOOSE_PROMPT = _("Select")


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)


def guide(form: forms.BaseForm, *, prompts: tuple[str, ...] = ()) -> None:
    """Make a form guide its reader:

    - a missing required value names the field in natural Japanese: 「氏名を入力してください」,
      「所属の種別を選択してください」 (the field's own message, when it has one, stays);
    - the fields named in ``prompts`` start at 「選択してください」 instead of a preselected
      choice, where no choice is the honest default."""
    default_required = str(forms.Field.default_error_messages["required"])
    for name, field in form.fields.items():
        if str(field.error_messages.get("required", "")) == default_required:
            template = _("Select %(field)s") if _is_choice(field) else _("Enter %(field)s")
            field.error_messages["required"] = lazy_interpolate(template, field.label or name)
        if name in prompts:
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = CHOOSE_PROMPT
                field.widget.choices = field.choices
            elif isinstance(field, forms.ChoiceField):
                choices = [c for c in field.choices if c[0] != ""]
                field.choices = [("", CHOOSE_PROMPT), *choices]
                field.initial = None


def lazy_interpolate(template, label):
    """``template % {"field": label}`` evaluated in the language active when it is shown."""
    return _lazy_str(lambda: str(template) % {"field": str(label)})


_lazy_str = lazy(lambda function: function(), str)


# --- the 年度 select ---------------------------------------------------------------------------

# How many fiscal years back the select offers (the next year is always there too).
FISCAL_YEARS_BACK = 10


def fiscal_year_choices() -> list[tuple[int, str]]:
    """The years a 年度 select offers, newest first, named as people say them (令和8年度)."""
    from core.dates import active_language
    from core.fiscal import fiscal_year_label, fiscal_year_of, today

    current = fiscal_year_of(today())
    language = active_language()
    return [
        (year, fiscal_year_label(year, language))
        for year in range(current + 1, current - FISCAL_YEARS_BACK, -1)
    ]


def _current_fiscal_year() -> int:
    from core.fiscal import fiscal_year_of, today

    return fiscal_year_of(today())


class FiscalYearField(forms.TypedChoiceField):
    """A 年度 chosen from a select in 令和 (the report's widget), its value the year it starts
    in (2026 for 令和8年度). ``blank`` adds a first choice for "not chosen"."""

    def __init__(self, *, blank: str = "", **kwargs):
        self.blank = blank
        kwargs.setdefault("initial", _current_fiscal_year)
        super().__init__(coerce=int, empty_value=None, choices=self._choices, **kwargs)

    def _choices(self):
        return ([("", self.blank)] if self.blank else []) + fiscal_year_choices()


class Guided:
    """A form mixin (first in the bases) that guides (``guide``): missing values say what to
    enter. ``id_prefix`` gives its fields ids of their own (``cancel-reason``) where several
    forms share a page, so the error summary's links reach the right field."""

    id_prefix = ""
    guide_prompts: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        guide(self, prompts=self.guide_prompts)
