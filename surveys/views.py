"""The public door of the questionnaire: the personal link's form (no account), the thanks
page, and the Japanese answers to a used, expired or unknown link."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from surveys import services
from surveys.forms import AnswerForm
from surveys.services import LinkRefused

REFUSED_STATUS = {"used": 200, "expired": 410, "unknown": 404}


def _refused(request, reason: str):
    return render(
        request, "surveys/refused.html", {"reason": reason}, status=REFUSED_STATUS[reason]
    )


@never_cache
def answer(request, token):
    try:
        invitation = services.invitation_for(token)
    except LinkRefused as refused:
        return _refused(request, refused.reason)
    survey = invitation.survey
    questions = list(survey.questions.all())
    if request.method == "POST":
        try:
            services.answer_by_link(token=token, data=request.POST)
        except LinkRefused as refused:
            return _refused(request, refused.reason)
        except ValidationError as error:
            form = AnswerForm(questions, data=request.POST, errors=error.message_dict)
            context = {"form": form, "event": survey.event, "invitation": invitation}
            return render(request, "surveys/answer.html", context, status=422)
        return redirect("surveys:thanks")
    form = AnswerForm(questions)
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "event": survey.event, "invitation": invitation},
    )


def thanks(request):
    return render(request, "surveys/thanks.html")
