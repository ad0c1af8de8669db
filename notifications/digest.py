"""The weekly digest for center staff: one email on the first working day of each week at
08:00 Tokyo (Monday, or the day after a Monday holiday), assembled at send time from sections
that the apps register — notifications knows none of them:

    register_section(DigestSection(code="training.events", order=10,
                                   title=_("Events this week"), lines=events_this_week))

``lines(week_start, week_end)`` returns the section's lines for the week [start, end] (dates in
Tokyo); an empty list leaves the section out. Everything in it is for center staff only and
still never carries confidential notes or names of supported persons.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.emails import build_email
from core.fiscal import TOKYO, add_working_days, local_date
from directory.models import User
from notifications.registry import MessageKind, register
from notifications.services import Planned, plan_messages

WEEKLY_DIGEST = "notifications.weekly_digest"
DIGEST_TIME = dt.time(8, 0)


@dataclass(frozen=True)
class DigestSection:
    code: str
    order: int
    title: Any
    lines: Callable[[dt.date, dt.date], list[str]]


_SECTIONS: dict[str, DigestSection] = {}


def register_section(section: DigestSection) -> DigestSection:
    _SECTIONS[section.code] = section
    return section


def sections() -> list[DigestSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.code))


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def digest_moment(monday: dt.date) -> dt.datetime:
    """08:00 Tokyo on the first working day of the week that starts on ``monday``."""
    return dt.datetime.combine(add_working_days(monday, 0), DIGEST_TIME, TOKYO)


def recipients():
    """Active center staff (and superusers) with an address."""
    return User.objects.center_staff().exclude(email="").order_by("id")


def plan_weekly(*, now: dt.datetime | None = None) -> str:
    """The scheduled job: plan this week's and next week's digest for every center staff member
    (one row per person and week, so running it again changes nothing)."""
    now = now or timezone.now()
    this_monday, _sunday = week_of(local_date(now))
    moments = [digest_moment(this_monday), digest_moment(this_monday + dt.timedelta(days=7))]
    people = list(recipients())
    plans = {person: [Planned(person.email, m, str(person)) for m in moments] for person in people}
    changed = plan_messages(kind=WEEKLY_DIGEST, plans=plans, now=now) if plans else 0
    return f"planned weekly digests: {changed} change(s)"


def digest_still_true(dispatch) -> bool:
    """Still center staff with the same address. (The digest is built when it is sent, so its
    content is always current; a digest planned for a moment other than the Monday one, as the
    demo does, is fine.)"""
    person = dispatch.obj
    return person.is_active and person.is_center_staff and person.email == dispatch.recipient


def render_digest(dispatch) -> EmailMessage:
    monday, sunday = week_of(local_date(dispatch.due_at))
    parts = []
    for section in sections():
        lines = section.lines(monday, sunday)
        if lines:
            parts.append({"title": section.title, "lines": lines})
    context = {"name": dispatch.recipient_name, "monday": monday, "sunday": sunday, "parts": parts}
    return build_email("notifications/email/weekly_digest", context)


register(
    MessageKind(
        code=WEEKLY_DIGEST,
        label=_("Staff: weekly digest"),
        render=render_digest,
        still_true=digest_still_true,
        grace=dt.timedelta(hours=10),
    )
)
