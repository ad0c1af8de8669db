"""Every write of the questionnaire: create it from the template of the event's kind, change
its questions until the first response, answer through a personal link, enter a paper sheet,
hide a response from exports and the report. Staff actions are for center staff only and
audited; an answer through a link is not (an entry's time could point at a person)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.fiscal import TOKYO, local_date
from core.inputs import SURVEY_ANSWER, SURVEY_DAYS, SURVEY_LIMITS, check_integer, check_text
from core.tokens import derive_token, hash_token
from directory.permissions import is_center_staff
from surveys.defaults import default_questions
from surveys.models import Answer, Invitation, Question, Response, Survey
from training.models import Event

QUESTION_FIELDS = ("order", "kind", "text", "required", "choices")
SURVEY_FIELDS = ("valid_days", "show_in_report")
Kind = Question.Kind


class LinkRefused(Exception):
    """A personal link that cannot take an answer: ``reason`` is "unknown", "used" or
    "expired" (the page says which, in Japanese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_token(invitation: Invitation) -> str:
    """The secret of an invitation's link, derived again from its nonce (only its hash is
    stored, yet the reminder can carry the same link)."""
    return derive_token(settings.SECRET_KEY, "survey-invitation", invitation.nonce)


def token_hash_for(nonce: str) -> str:
    return hash_token(derive_token(settings.SECRET_KEY, "survey-invitation", nonce))


# --- staff: the questionnaire and its questions ------------------------------------------------


def _require_center(actor) -> None:
    if not is_center_staff(actor):
        raise PermissionDenied


def _survey_for_change(actor, survey_id: int) -> Survey:
    """The survey, locked, for center staff; refused once an answer has arrived."""
    _require_center(actor)
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    if survey.is_frozen:
        raise ValidationError(
            {"questions": _("Answers have arrived: the questions can no longer be changed.")}
        )
    return survey


@transaction.atomic
def create_survey(*, actor, event_id: int, is_demo: bool = False) -> Survey:
    """The event's questionnaire from the template of its kind (an existing one is kept).
    ``actor`` None is the system (the demo loader)."""
    if actor is not None:
        _require_center(actor)
    events = Event.objects.visible_to(actor) if actor is not None else Event.objects.all()
    event = events.filter(pk=event_id).first()
    if event is None:
        raise Http404
    survey, created = Survey.objects.get_or_create(event=event, defaults={"is_demo": is_demo})
    if created:
        for order, (code, kind, text, required, choices) in enumerate(
            default_questions(event.kind), start=1
        ):
            Question.objects.create(
                survey=survey,
                order=order * 10,
                code=code,
                kind=kind,
                text=text,
                required=required,
                choices=choices,
            )
        audit.record(survey, "surveys.survey.created", by=actor)
    return survey


def clean_question(*, kind: str, text: str, choices: list[str]) -> tuple[str, list[str]]:
    """The question's text and choices within the limits, or a ValidationError naming the
    field (``text``, ``choices``, ``kind``)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose one of the question kinds.")})
    text = text.strip()
    errors = {}
    try:
        check_text(text, max_length=SURVEY_LIMITS["question"])
        if not text:
            raise ValidationError(_("Enter the question."))
    except ValidationError as error:
        errors["text"] = error.messages
    cleaned = [choice.strip() for choice in choices if choice.strip()]
    if kind not in Question.CHOICE_KINDS:
        cleaned = []
    try:
        for choice in cleaned:
            check_text(choice, max_length=SURVEY_LIMITS["choice"])
        if kind in Question.CHOICE_KINDS and len(cleaned) < 2:
            raise ValidationError(_("Enter at least two choices, one per line."))
        if len(cleaned) > SURVEY_LIMITS["choices"]:
            raise ValidationError(
                _("Enter at most %(max)s choices.") % {"max": SURVEY_LIMITS["choices"]}
            )
        if len(set(cleaned)) != len(cleaned):
            raise ValidationError(_("Each choice may appear only once."))
    except ValidationError as error:
        errors["choices"] = error.messages
    if errors:
        raise ValidationError(errors)
    return text, cleaned


@transaction.atomic
def add_question(
    *, actor, survey_id: int, kind: str, text: str, required: bool, choices: list[str]
) -> Question:
    survey = _survey_for_change(actor, survey_id)
    if survey.questions.count() >= SURVEY_LIMITS["questions"]:
        raise ValidationError(
            {
                "text": _("A questionnaire holds at most %(max)s questions.")
                % {"max": SURVEY_LIMITS["questions"]}
            }
        )
    text, choices = clean_question(kind=kind, text=text, choices=choices)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = Question.objects.create(
        survey=survey, order=last + 10, kind=kind, text=text, required=required, choices=choices
    )
    audit.record(survey, "surveys.question.added", by=actor, question=text)
    return question


def _question_for_change(actor, question_id: int) -> tuple[Survey, Question]:
    survey_id = Question.objects.filter(pk=question_id).values_list("survey_id", flat=True).first()
    if survey_id is None:
        _require_center(actor)
        raise Http404
    survey = _survey_for_change(actor, survey_id)
    return survey, survey.questions.get(pk=question_id)


@transaction.atomic
def change_question(
    *, actor, question_id: int, text: str, required: bool, choices: list[str]
) -> Question:
    survey, question = _question_for_change(actor, question_id)
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.text, question.choices = clean_question(kind=question.kind, text=text, choices=choices)
    question.required = required
    question.save()
    changes = audit.diff(before, audit.snapshot(question, QUESTION_FIELDS))
    if changes:
        audit.record(survey, "surveys.question.changed", by=actor, changes=changes)
    return question


@transaction.atomic
def remove_question(*, actor, question_id: int) -> None:
    survey, question = _question_for_change(actor, question_id)
    text = question.text
    question.delete()
    audit.record(survey, "surveys.question.removed", by=actor, question=text)


@transaction.atomic
def move_question(*, actor, question_id: int, up: bool) -> None:
    """Swap the question with the one before (``up``) or after it."""
    survey, question = _question_for_change(actor, question_id)
    questions = list(survey.questions.order_by("order", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions, start=1):
        if item.order != order * 10:
            item.order = order * 10
            item.save(update_fields=["order"])
    audit.record(survey, "surveys.question.moved", by=actor, question=question.text)


@transaction.atomic
def set_survey_options(*, actor, survey_id: int, valid_days: int, show_in_report: bool) -> Survey:
    """How long new links stay valid (1–60 days) and whether the report counts the survey."""
    _require_center(actor)
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    try:
        check_integer(valid_days, minimum=SURVEY_DAYS[0], maximum=SURVEY_DAYS[1])
    except ValidationError as error:
        raise ValidationError({"valid_days": error.messages}) from None
    before = audit.snapshot(survey, SURVEY_FIELDS)
    survey.valid_days, survey.show_in_report = valid_days, show_in_report
    survey.save()
    changes = audit.diff(before, audit.snapshot(survey, SURVEY_FIELDS))
    if changes:
        audit.record(survey, "surveys.survey.changed", by=actor, changes=changes)
    return survey


# --- answers -------------------------------------------------------------------------------


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def clean_answers(questions: list[Question], data) -> list[tuple[Question, int | None, str]]:
    """The answer rows (question, choice, text) of what was sent (``data``: a QueryDict or a
    dict of lists of strings by ``field_name``), or one ValidationError naming each field."""
    rows, errors = [], {}
    for question in questions:
        name = field_name(question)
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        values = [value.strip() for value in values if value.strip()]
        try:
            rows.extend(_answer_rows(question, values))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return rows


def _answer_rows(question: Question, values: list[str]) -> list[tuple[Question, int | None, str]]:
    if not values:
        if question.required:
            raise ValidationError(_("Answer this question."))
        return []
    if question.kind in Question.TEXT_KINDS:
        limit = SURVEY_ANSWER[question.kind]
        text = check_text(
            "\n".join(values), max_length=limit, multiline=question.kind == Kind.LONG_TEXT
        )
        return [(question, None, text)]
    if question.kind != Kind.MULTIPLE and len(values) > 1:
        raise ValidationError(_("Choose one answer."))
    base = 1 if question.kind == Kind.SCALE5 else 0
    allowed = {str(index + base) for index in range(len(question.options))}
    if any(value not in allowed for value in values):
        raise ValidationError(_("Choose from the answers offered."))
    return [(question, int(value), "") for value in sorted(set(values), key=int)]


def _store(survey: Survey, rows, *, source: str) -> Response:
    response = Response.objects.create(survey=survey, source=source, is_demo=survey.is_demo)
    Answer.objects.bulk_create(
        [Answer(response=response, question=q, choice=c, text=t) for q, c, t in rows]
    )
    if survey.frozen_at is None:
        survey.frozen_at = timezone.now()
        survey.save(update_fields=["frozen_at"])
    return response


def invitation_for(token: str) -> Invitation:
    """The invitation of a link that may still take an answer, else LinkRefused."""
    invitation = (
        Invitation.objects.select_related("survey__event")
        .filter(token_hash=hash_token(token))
        .first()
        if 20 <= len(token) <= 100
        else None
    )
    if invitation is None:
        raise LinkRefused("unknown")
    if invitation.used_on is not None:
        raise LinkRefused("used")
    if invitation.expires_at <= timezone.now():
        raise LinkRefused("expired")
    return invitation


@transaction.atomic
def answer_by_link(*, token: str, data) -> Response:
    """Store the answer sent through a personal link, once: the link is marked used (the day
    only) and the response keeps no trace of it. LinkRefused for an unknown, used or expired
    link; a ValidationError naming each field that is wrong (nothing is stored)."""
    found = invitation_for(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.used_on is not None:
        raise LinkRefused("used")
    survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
    rows = clean_answers(list(survey.questions.all()), data)
    invitation.used_on = local_date(timezone.now())
    invitation.save(update_fields=["used_on"])
    return _store(survey, rows, source=Response.Source.WEB)


@transaction.atomic
def enter_paper_sheet(*, actor, survey_id: int, data) -> Response:
    """One paper sheet typed in by center staff (audited on the survey, without its answers);
    ``actor`` None is the system (the demo loader)."""
    if actor is not None:
        _require_center(actor)
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    rows = clean_answers(list(survey.questions.all()), data)
    response = _store(survey, rows, source=Response.Source.PAPER)
    audit.record(survey, "surveys.survey.paper_entered", by=actor)
    return response


@transaction.atomic
def set_response_hidden(*, actor, response_id, hidden: bool, reason: str = "") -> Response:
    """Hide a response (its free text above all) from exports and the report, or show it
    again; audited with the reason."""
    _require_center(actor)
    response = Response.objects.select_for_update().filter(pk=response_id).first()
    if response is None:
        raise Http404
    check_text(reason, max_length=200)
    if response.hidden != hidden:
        response.hidden = hidden
        response.save(update_fields=["hidden"])
        verb = "hidden" if hidden else "shown"
        audit.record(response, f"surveys.response.{verb}", by=actor, reason=reason)
    return response


def expiry_for(survey: Survey, now: dt.datetime) -> dt.datetime:
    """The end (23:59 Tokyo) of the ``valid_days``-th day after today."""
    day = local_date(now) + dt.timedelta(days=survey.valid_days)
    return dt.datetime.combine(day, dt.time(23, 59), TOKYO)
