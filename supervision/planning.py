"""The planning calendar: everything the center has on (trainings, block liaison meetings,
visits, lecturer dispatches) for a month or a week, with national holidays and 年末年始
marked, filtered by block, kind and staff member. Three queries, whatever the range."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fiscal import TOKYO, holiday_name, today
from core.inputs import query_date, query_id
from directory.models import Block, User
from supervision.models import LecturerDispatch, Target, Visit
from training.models import Event

ITEM_KINDS = [
    ("visit", _("visits")),
    ("training", _("trainings")),
    ("liaison_meeting", _("liaison meetings")),
    ("dispatch", _("lecturer dispatches")),
]


@dataclass(frozen=True)
class CalendarView:
    mode: str  # "month" or "week"
    anchor: dt.date
    block_id: int | None = None
    kind: str | None = None
    staff_id: int | None = None
    date_refused: bool = False
    """The query named a date outside the supported range: the page shows today and says so."""

    @classmethod
    def from_query(cls, query) -> "CalendarView":
        refused = False
        try:
            anchor = query_date(query.get("date")) or today()
        except ValidationError:
            anchor, refused = today(), True
        kind = query.get("kind") or None
        return cls(
            mode="week" if query.get("view") == "week" else "month",
            anchor=anchor,
            block_id=query_id(query.get("block")),
            kind=kind if kind in dict(ITEM_KINDS) else None,
            staff_id=query_id(query.get("staff")),
            date_refused=refused,
        )

    @property
    def start(self) -> dt.date:
        if self.mode == "week":
            return self.anchor - dt.timedelta(days=self.anchor.weekday())
        first = self.anchor.replace(day=1)
        return first - dt.timedelta(days=first.weekday())

    @property
    def end(self) -> dt.date:
        """The day after the last day shown."""
        if self.mode == "week":
            return self.start + dt.timedelta(days=7)
        following = (self.anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following + dt.timedelta(days=(7 - following.weekday()) % 7)

    @property
    def previous(self) -> dt.date:
        if self.mode == "week":
            return self.anchor - dt.timedelta(days=7)
        return (self.anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=1)

    @property
    def following(self) -> dt.date:
        if self.mode == "week":
            return self.anchor + dt.timedelta(days=7)
        return (self.anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

    def query(self, **changes) -> str:
        values = {
            "view": self.mode,
            "date": self.anchor.isoformat(),
            "block": self.block_id or "",
            "kind": self.kind or "",
            "staff": self.staff_id or "",
        }
        values.update({key: value for key, value in changes.items()})
        return "?" + urlencode({key: value for key, value in values.items() if value})


ITEM_STATES = [
    ("planned", _("planned")),
    ("done", _("done")),
    ("overdue", _("to record")),
    ("cancelled", _("cancelled")),
]


@dataclass
class CalendarItem:
    kind: str
    title: str
    starts_at: dt.datetime
    url: str
    cancelled: bool = False
    status: str = ""
    state: str = "planned"

    @property
    def state_label(self) -> str:
        return dict(ITEM_STATES)[self.state]


def _state(*, cancelled: bool, done: bool, past: bool, recorded_by_staff: bool) -> str:
    """planned / done / overdue / cancelled. A visit is done only when recorded so (a past one
    still open is overdue); a training, a meeting or a dispatch is done once it has ended."""
    if cancelled:
        return "cancelled"
    if done:
        return "done"
    if past:
        return "overdue" if recorded_by_staff else "done"
    return "planned"


@dataclass
class CalendarDay:
    date: dt.date
    holiday: str | None
    in_range: bool
    is_today: bool
    items: list[CalendarItem] = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def weekday_class(self) -> str:
        """saturday (blue), sunday or holiday (red), else empty: the Japanese calendar's colors."""
        if self.holiday or self.date.weekday() == 6:
            return "sunday"
        return "saturday" if self.date.weekday() == 5 else ""


def _bounds(view: CalendarView) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(view.start, dt.time(), TOKYO),
        dt.datetime.combine(view.end, dt.time(), TOKYO),
    )


def _visit_items(view: CalendarView, user, start, end) -> list[CalendarItem]:
    now = timezone.now()
    visits = (
        Visit.objects.visible_to(user).filter(starts_at__gte=start, starts_at__lt=end).with_target()
    )
    if view.block_id:
        visits = visits.filter(target__in=Target.objects.in_block(view.block_id))
    if view.staff_id:
        visits = visits.with_staff(view.staff_id).distinct()
    return [
        CalendarItem(
            kind="visit",
            title=f"{visit.target.name} {visit.get_kind_display()}",
            starts_at=visit.starts_at,
            url=reverse("supervision:visit", args=[visit.pk]),
            cancelled=visit.status == Visit.Status.CANCELLED,
            status=visit.get_status_display(),
            state=_state(
                cancelled=visit.status == Visit.Status.CANCELLED,
                done=visit.status == Visit.Status.DONE,
                past=visit.starts_at < now,
                recorded_by_staff=True,
            ),
        )
        for visit in visits
    ]


def _event_items(view: CalendarView, user, start, end) -> list[CalendarItem]:
    now = timezone.now()
    events = Event.objects.visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
    if view.kind == "training":
        events = events.trainings()
    elif view.kind == "liaison_meeting":
        events = events.liaison_meetings()
    if view.block_id:
        events = events.filter(Q(block_id=view.block_id) | Q(block__isnull=True))
    if view.staff_id:
        events = events.filter(staff__id=view.staff_id).distinct()
    return [
        CalendarItem(
            kind="liaison_meeting" if event.kind == Event.Kind.LIAISON_MEETING else "training",
            title=str(event),
            starts_at=event.starts_at,
            url=reverse("training:staff_event", args=[event.pk]),
            cancelled=event.status == Event.Status.CANCELLED,
            status=event.get_status_display(),
            state=_state(
                cancelled=event.status == Event.Status.CANCELLED,
                done=False,
                past=event.ends_at < now,
                recorded_by_staff=False,
            ),
        )
        for event in events
    ]


def _dispatch_items(view: CalendarView, user, start, end) -> list[CalendarItem]:
    now = timezone.now()
    dispatches = LecturerDispatch.objects.visible_to(user).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    if view.block_id:
        dispatches = dispatches.filter(municipality__block_id=view.block_id)
    if view.staff_id:
        dispatches = dispatches.filter(staff__id=view.staff_id).distinct()
    return [
        CalendarItem(
            kind="dispatch",
            title=f"{dispatch.title}（{dispatch.host}）",
            starts_at=dispatch.starts_at,
            url=reverse("supervision:dispatch", args=[dispatch.pk]),
            cancelled=dispatch.status == LecturerDispatch.Status.CANCELLED,
            status=dispatch.get_status_display(),
            state=_state(
                cancelled=dispatch.status == LecturerDispatch.Status.CANCELLED,
                done=False,
                past=dispatch.ends_at < now,
                recorded_by_staff=False,
            ),
        )
        for dispatch in dispatches
    ]


# Each source of calendar items and the kinds (the ``kind`` filter) it answers for.
SOURCES = (
    (("visit",), _visit_items),
    (("training", "liaison_meeting"), _event_items),
    (("dispatch",), _dispatch_items),
)


def _items(view: CalendarView, user) -> list[CalendarItem]:
    start, end = _bounds(view)
    items = [
        item
        for kinds, source in SOURCES
        if view.kind is None or view.kind in kinds
        for item in source(view, user, start, end)
    ]
    return sorted(items, key=lambda item: item.starts_at)


def calendar_days(view: CalendarView, *, user) -> list[CalendarDay]:
    """Every day shown, Monday first, each with its holiday name and its items."""
    current = today()
    days = {}
    day = view.start
    while day < view.end:
        in_range = view.mode == "week" or day.month == view.anchor.month
        days[day] = CalendarDay(
            date=day, holiday=holiday_name(day), in_range=in_range, is_today=day == current
        )
        day += dt.timedelta(days=1)
    for item in _items(view, user):
        days[item.starts_at.astimezone(TOKYO).date()].items.append(item)
    return list(days.values())


def filter_choices() -> dict:
    return {
        "blocks": list(Block.objects.all()),
        "kinds": ITEM_KINDS,
        "states": ITEM_STATES,
        "staff": list(User.objects.center_staff().order_by("last_name", "first_name", "id")),
    }
