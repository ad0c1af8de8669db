"""The questions a new questionnaire starts with, per kind of training (講義, オンライン講義,
対談, 事例研究; any other kind gets the lecture's). Staff change them until the first answer."""

from django.utils.translation import gettext as _

from surveys.models import Question

Kind = Question.Kind
SATISFACTION = "satisfaction"


def _themes() -> list[str]:
    return [
        _("Basics of hikikomori support"),
        _("Supporting families"),
        _("Case meetings"),
        _("Working with partner organizations"),
        _("Places to belong (ibasho)"),
        _("Other"),
    ]


def default_questions(event_kind: str) -> list[tuple[str, str, str, bool, list[str]]]:
    """(code, kind, text, required, choices) of each question, in order."""
    useful = (
        _("Will the case discussion help in your work?")
        if event_kind == "case_study"
        else _("Will what you learned help in your work?")
    )
    questions = [
        (SATISFACTION, Kind.SCALE5, _("How satisfied are you with this training?"), True, []),
        ("understanding", Kind.SCALE5, _("How well did you understand the content?"), True, []),
        ("usefulness", Kind.SCALE5, useful, True, []),
    ]
    if event_kind == "online_lecture":
        questions.append(
            (
                "online",
                Kind.SINGLE,
                _("How was the online connection?"),
                False,
                [_("No problems"), _("Some sound or picture problems"), _("Hard to follow")],
            )
        )
    questions += [
        (
            "themes",
            Kind.MULTIPLE,
            _("Which themes would you like next? (several)"),
            False,
            _themes(),
        ),
        ("comments", Kind.LONG_TEXT, _("Comments and impressions"), False, []),
    ]
    return questions
