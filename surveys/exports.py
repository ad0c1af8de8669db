"""The questionnaire's results as XLSX (through ``core.exports``: formula-safe text, numbers as
numbers): per question the count and share of each choice and the average of a scale, then
the free text. Responses staff hid are left out; no row names or orders a person (free text is
sorted by its text)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.exports import XLSX_CONTENT_TYPE, table_xlsx
from surveys.models import Survey
from surveys.results import survey_results


def results_rows(survey: Survey) -> tuple[list[str], list[list]]:
    results = survey_results(survey, for_export=True)
    headings = [_("Question"), _("Answer"), _("Count"), _("Share (%)")]
    rows: list[list] = [
        [_("Responses"), "", results.responses, ""],
        [_("Attended"), "", results.attendees, ""],
        [_("Response rate"), "", "", results.rate if results.rate is not None else ""],
    ]
    for result in results.questions:
        text = result.question.text
        for option in result.options:
            rows.append([text, option.label, option.count, option.share])
        if result.average is not None:
            rows.append([text, _("Average"), result.average, ""])
        for answer in result.texts:
            rows.append([text, answer.text, "", ""])
    return headings, rows


def results_xlsx_response(survey: Survey) -> HttpResponse:
    headings, rows = results_rows(survey)
    response = HttpResponse(
        table_xlsx(headings, rows, sheet_title=_("Questionnaire")),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.event_id}.xlsx"'
    return response
