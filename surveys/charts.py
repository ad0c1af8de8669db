"""A chart per choice or scale question (``core.charts``: server-side SVG with a title, a text
alternative spelling out every number and the numbers beside the bars; on a phone it keeps its
drawn size, text at 12–13 px, and scrolls sideways in its figure)."""

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.charts import Bar, bar_chart
from surveys.results import QuestionResult


def question_chart(result: QuestionResult) -> SafeString:
    question = result.question
    bars = [
        Bar(label=option.label, values=(option.count,), text=f"{option.count}（{option.share}％）")
        for option in result.options
    ]
    description = _("%(question)s: %(count)s answered.") % {
        "question": question.text,
        "count": result.answered,
    }
    if result.average is not None:
        description += " " + _("Average %(average)s.") % {"average": result.average}
    return bar_chart(
        chart_id=f"survey-q{question.pk}",
        title=question.text,
        description=description,
        bars=bars,
    )
