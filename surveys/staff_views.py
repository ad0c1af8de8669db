"""The center staff's pages of a questionnaire: its section on the event's staff page
(results, charts, free text), the question editor, paper entry (one sheet after another),
hiding a response, the XLSX and the printable A4 questionnaire. Every other role: 404."""

import uuid

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance.documents import FontMissing
from core.forms import add_service_errors, error_text
from directory.decorators import center_staff_required
from directory.permissions import is_center_staff
from surveys import documents, services
from surveys.charts import question_chart
from surveys.exports import results_xlsx_response
from surveys.forms import AnswerForm, QuestionForm, SurveyOptionsForm
from surveys.models import Question, Response, Survey
from surveys.results import survey_results
from training.models import Event


def event_section(request, event: Event) -> str:
    """The questionnaire's part of the event's staff page (center staff only)."""
    if not is_center_staff(request.user):
        return ""
    survey = Survey.objects.filter(event=event).first()
    context = {"event": event, "survey": survey}
    if survey is not None:
        results = survey_results(survey)
        context["results"] = results
        for result in results.questions:
            if result.options:
                result.chart = question_chart(result)
    return render_to_string("surveys/_event_section.html", context, request=request)


def _survey(pk) -> Survey:
    return get_object_or_404(Survey.objects.select_related("event"), pk=pk)


def _back(survey: Survey):
    return redirect(f"/training/staff/events/{survey.event_id}/#survey")


@center_staff_required
@require_POST
def create(request, event_pk):
    survey = services.create_survey(actor=request.user, event_id=event_pk)
    return redirect("surveys:edit", survey.pk)


@center_staff_required
def edit(request, pk):
    survey = _survey(pk)
    form = QuestionForm(initial={"kind": Question.Kind.SINGLE, "required": True})
    options = SurveyOptionsForm(
        initial={"valid_days": survey.valid_days, "show_in_report": survey.show_in_report}
    )
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_question(
                    actor=request.user,
                    survey_id=survey.pk,
                    kind=data["kind"],
                    text=data["text"],
                    required=data["required"],
                    choices=form.choice_list(),
                )
                return redirect("surveys:edit", survey.pk)
            except ValidationError as error:
                add_service_errors(form, error, aliases={"questions": "text"})
    context = {"survey": survey, "form": form, "options": options}
    return render(request, "surveys/edit.html", context, status=status)


@center_staff_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__event"), pk=pk)
    initial = {
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "choices": "\n".join(question.choices),
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_question(
                actor=request.user,
                question_id=question.pk,
                text=form.cleaned_data["text"],
                required=form.cleaned_data["required"],
                choices=form.choice_list(),
            )
            return redirect("surveys:edit", question.survey_id)
        except ValidationError as error:
            add_service_errors(form, error, aliases={"questions": "text"})
    status = 422 if request.method == "POST" else 200
    context = {"question": question, "form": form, "survey": question.survey}
    return render(request, "surveys/question_edit.html", context, status=status)


def _question_action(request, pk, action, **kwargs):
    survey_id = Question.objects.filter(pk=pk).values_list("survey_id", flat=True).first()
    if survey_id is None:
        raise Http404
    try:
        action(actor=request.user, question_id=pk, **kwargs)
    except ValidationError as error:
        flash.error(request, error_text(error))
    return redirect("surveys:edit", survey_id)


@center_staff_required
@require_POST
def question_remove(request, pk):
    return _question_action(request, pk, services.remove_question)


@center_staff_required
@require_POST
def question_move(request, pk):
    return _question_action(request, pk, services.move_question, up=request.POST.get("up") == "1")


@center_staff_required
@require_POST
def options(request, pk):
    survey = _survey(pk)
    form = SurveyOptionsForm(request.POST)
    if form.is_valid():
        try:
            services.set_survey_options(
                actor=request.user, survey_id=survey.pk, **form.cleaned_data
            )
            flash.success(request, _("Saved."))
            return redirect("surveys:edit", survey.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    context = {"survey": survey, "form": QuestionForm(), "options": form}
    return render(request, "surveys/edit.html", context, status=422)


@center_staff_required
def paper(request, pk):
    """Paper sheets, one after another: the form comes back empty with the count so far."""
    survey = _survey(pk)
    questions = list(survey.questions.all())
    form, status = AnswerForm(questions), 200
    if request.method == "POST":
        try:
            services.enter_paper_sheet(actor=request.user, survey_id=survey.pk, data=request.POST)
            flash.success(request, _("Sheet saved. Enter the next one."))
            return redirect("surveys:paper", survey.pk)
        except ValidationError as error:
            form = AnswerForm(questions, data=request.POST, errors=error.message_dict)
            status = 422
    count = survey.responses.filter(source=Response.Source.PAPER).count()
    context = {"survey": survey, "form": form, "paper_count": count}
    return render(request, "surveys/paper.html", context, status=status)


@center_staff_required
@require_POST
def response_hidden(request, pk):
    survey = _survey(pk)
    response_id = request.POST.get("response", "")
    if not survey.responses.filter(pk=_uuid(response_id)).exists():
        raise Http404
    services.set_response_hidden(
        actor=request.user, response_id=response_id, hidden=request.POST.get("hidden") == "1"
    )
    return _back(survey)


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


@center_staff_required
def results_xlsx(request, pk):
    return results_xlsx_response(_survey(pk))


@center_staff_required
def questionnaire_pdf(request, pk):
    survey = _survey(pk)
    try:
        pdf = documents.questionnaire_pdf(survey)
    except FontMissing:
        return HttpResponse(
            _("The Japanese font for PDFs is not installed (fonts-ipaexfont)."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="questionnaire-{survey.event_id}.pdf"'
    return response
