"""The forms of the questionnaire: the answer form (web and paper) built from the questions,
and the staff's question and option forms. The answer form only presents: the service
(``surveys.services.clean_answers``) decides what is valid, and its errors are shown here
with what was typed kept."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from core.inputs import SURVEY_ANSWER, SURVEY_DAYS, SURVEY_LIMITS, BoundedForm
from surveys.models import Question
from surveys.services import field_name

Kind = Question.Kind


def _field(question: Question, number: int, total: int) -> forms.Field:
    label = f"{number}／{total}　{question.text}"
    options = dict(required=question.required, label=label)
    if question.kind in (Kind.SINGLE, Kind.SCALE5):
        base = 1 if question.kind == Kind.SCALE5 else 0
        choices = [(str(i + base), text) for i, text in enumerate(question.options)]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    if question.kind == Kind.MULTIPLE:
        choices = [(str(i), text) for i, text in enumerate(question.options)]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )
    limit = SURVEY_ANSWER[question.kind]
    widget = forms.Textarea(attrs={"rows": 4}) if question.kind == Kind.LONG_TEXT else None
    return forms.CharField(max_length=limit, widget=widget, **options)


class AnswerForm(forms.Form):
    """Bound to what was sent, it shows the service's errors (``errors``) and keeps every
    value; it never validates on its own."""

    def __init__(self, questions, *, data=None, errors=None):
        super().__init__(data=data)
        self.service_errors = errors or {}
        total = len(questions)
        for number, question in enumerate(questions, start=1):
            self.fields[field_name(question)] = _field(question, number, total)

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, messages in self.service_errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class(messages)
            else:
                self._errors.setdefault("__all__", self.error_class()).extend(messages)


class QuestionForm(BoundedForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=SURVEY_LIMITS["question"])
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choices (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice questions."),
    )

    def choice_list(self) -> list[str]:
        return self.cleaned_data.get("choices", "").splitlines()


class SurveyOptionsForm(BoundedForm, forms.Form):
    valid_days = forms.IntegerField(
        label=_("Days the personal link stays valid"),
        min_value=SURVEY_DAYS[0],
        max_value=SURVEY_DAYS[1],
    )
    show_in_report = forms.BooleanField(label=_("Count it in the report"), required=False)
