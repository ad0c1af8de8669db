"""The topic of a message: the thing people talk about, by which staff filter the outbox and
choose reminder days ("training.event:12"). Built and parsed here only: in Python
(``topic_for``, ``parse_topic``, ``object_of_topic``) and in SQL (``topic_expression``, for a
subquery that joins rows to their topic)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

MAX_PK_DIGITS = 18


@dataclass(frozen=True)
class Topic:
    app_label: str
    model: str
    pk: int

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model}:{self.pk}"


def _prefix(model) -> str:
    return f"{model._meta.label_lower}:"


def topic_for(obj) -> str:
    """The topic of ``obj``. Apps pass the topic of the thing people talk about (the event) when
    the object is a detail of it (a registration)."""
    return f"{_prefix(obj)}{obj.pk}"


def topic_expression(model, pk):
    """The topic as a database expression: ``model``'s topic for the primary key ``pk`` (an
    expression such as ``OuterRef("event_id")``)."""
    return Concat(Value(_prefix(model)), Cast(pk, CharField()))


def parse_topic(text: str) -> Topic | None:
    """The parts of a topic, or None when the text is not one."""
    label, _sep, pk = text.partition(":")
    app_label, _dot, model = label.partition(".")
    if not (app_label and model and pk.isascii() and pk.isdigit() and len(pk) <= MAX_PK_DIGITS):
        return None
    return Topic(app_label, model, int(pk))


def app_of_topic(text: str) -> str:
    """The app label a topic belongs to ("training")."""
    return text.partition(".")[0]


def object_of_topic(text: str):
    """The object a topic names, or None."""
    topic = parse_topic(text)
    if topic is None:
        return None
    try:
        content_type = ContentType.objects.get_by_natural_key(topic.app_label, topic.model)
    except ContentType.DoesNotExist:
        return None
    model_class = content_type.model_class()
    return model_class._default_manager.filter(pk=topic.pk).first() if model_class else None
