"""The message kinds other apps register with notifications.

An app describes each kind of message it sends once, in a module imported from its
``AppConfig.ready()`` (for example ``training/reminders.py``)::

    register(MessageKind(
        code="training.event_reminder",
        label=_("Reminder before an event"),
        render=render_event_reminder,        # Dispatch -> EmailMessage, at send time
        still_true=registration_still_confirmed,  # Dispatch -> bool, at send time
        grace=timedelta(hours=6),
        queryset=lambda: Registration.objects.select_related("event"),
    ))

notifications keeps only the code in its rows and never imports an app above it: the sender
looks the kind up here when the message is due.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.core.mail import EmailMessage
    from django.db.models import QuerySet

    from notifications.models import Dispatch


CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*")


def always_true(dispatch: "Dispatch") -> bool:
    return True


@dataclass(frozen=True)
class MessageKind:
    code: str
    """Stable identifier kept in each Dispatch row: "<app>.<what>", the app that sends it
    first (``app``); registering a code without its app is an error."""
    render: "Callable[[Dispatch], EmailMessage]"
    """Builds the message (subject, body, attachments such as an .ics) from ``dispatch.obj`` at
    send time, in ``dispatch.language`` (the sender activates it). The sender sets the
    recipient, the sender address and the connection; whatever ``to`` it sets is replaced.
    The sender gives every row of a batch the same dict, ``dispatch.batch_memo``, where a kind
    may keep what is the same for many messages of the batch (an event's body and .ics), keyed
    by what it depends on; it lives for one batch only (absent outside the sender)."""
    label: Any = ""
    """What staff read in the outbox (a lazy translation)."""
    still_true: "Callable[[Dispatch], bool]" = always_true
    """Checked at send time: False cancels the dispatch instead of sending it."""
    grace: timedelta = timedelta(hours=12)
    """How late it may still go out; later than due_at + grace it is recorded as missed."""
    max_attempts: int = 5
    """Tries (claims) before a message that keeps failing is recorded as failed."""
    queryset: "Callable[[], QuerySet] | None" = None
    """Loads the objects of a batch in one query (select_related what render needs); by
    default the object's model's default manager."""
    days_before: tuple[int, ...] | None = None
    """For reminders sent some days before a moment: the default days, which staff may change
    per topic (notifications.models.ReminderDays). None: not configurable."""
    topic_model: str = ""
    """For configurable reminders: the model whose topics take reminder days
    ("training.event"); a topic of any other model is refused. Empty: the app's models."""
    topic_label: Any = ""
    """What such a topic names, for the message refusing another ("a training event")."""
    replan: "Callable[[Any], Any] | None" = None
    """Called with the topic's object after staff changed its reminder days, so the pending
    reminders move at once (otherwise the app's planning job moves them on its next run)."""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if not CODE.fullmatch(self.code):
            raise ValueError(f"message kind {self.code!r} must be named '<app>.<what>'")

    @property
    def app(self) -> str:
        """The label of the app that sends this kind ("training")."""
        return self.code.partition(".")[0]


_KINDS: dict[str, MessageKind] = {}


def register(kind: MessageKind) -> MessageKind:
    """Make a kind known to the sender. Registering the same code again replaces it (apps are
    set up once per process; tests may register their own kinds)."""
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _KINDS.pop(code, None)


def get_kind(code: str) -> MessageKind | None:
    return _KINDS.get(code)


def all_kinds() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def label_of(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind and kind.label else code
