"""What each feed contains and how its items read. Feeds are assembled from the apps below
(training events and registrations, supervision visits and lecturer dispatches); they read each
item's ``ical_uid``, ``sequence``, ``updated_at`` and status and never recompute them.

Privacy (docs/design.md, "Privacy"): nothing here reads a join link, a confidential note, a
reason for a cancellation or postponement, or who registered. Visits show their public summary only; a
registrant's feed shows the person's own registrations, never the management link.

Every text is written in Japanese: calendar apps fetch without cookies or a language choice.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, Q, TextField, When
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.center import current
from directory.models import Block, District, Municipality, User
from feeds.ical import Feed, Item, Source, cancelled_cutoff, vevent
from supervision.models import LecturerDispatch, Target, Visit
from training.models import Audience, Event, Registration


@dataclass(frozen=True)
class Scope:
    """What one subscription shows: its kind and target (see ``Subscription``)."""

    kind: str
    municipality_id: int | None = None
    block_id: int | None = None
    district_id: int | None = None
    user_id: int | None = None
    registrant_email: str = ""


# --- rows in feeds ------------------------------------------------------------------------


def _kept(now: dt.datetime, *, cancelled: Q, cancelled_at: str, ends_at: str) -> Q:
    """Not cancelled, or cancelled recently enough (or not over yet) to stay in feeds."""
    return (
        ~cancelled
        | Q(**{f"{cancelled_at}__gte": cancelled_cutoff(now)})
        | Q(**{f"{ends_at}__gte": now})
    )


def _event_in_feeds(now: dt.datetime, prefix: str = "") -> Q:
    """Published events, and cancelled ones that had been published, while kept."""
    return (
        Q(**{f"{prefix}status": Event.Status.PUBLISHED})
        | Q(**{f"{prefix}status": Event.Status.CANCELLED, f"{prefix}published_at__isnull": False})
    ) & _kept(
        now,
        cancelled=Q(**{f"{prefix}status": Event.Status.CANCELLED}),
        cancelled_at=f"{prefix}cancelled_at",
        ends_at=f"{prefix}ends_at",
    )


def feed_events(now: dt.datetime | None = None):
    return Event.objects.filter(_event_in_feeds(now or timezone.now()))


def feed_visits(now: dt.datetime | None = None):
    now = now or timezone.now()
    return Visit.objects.filter(
        _kept(
            now,
            cancelled=Q(status=Visit.Status.CANCELLED),
            cancelled_at="cancelled_at",
            ends_at="ends_at",
        )
    )


def feed_dispatches(now: dt.datetime | None = None):
    now = now or timezone.now()
    return LecturerDispatch.objects.filter(
        _kept(
            now,
            cancelled=Q(status=LecturerDispatch.Status.CANCELLED),
            cancelled_at="cancelled_at",
            ends_at="ends_at",
        )
    )


def open_to_municipal_staff(events):
    """Trainings whose audience includes municipal staff, or that name no audience (open to
    all). Matched on the JSON text so that it works on SQLite as on PostgreSQL."""
    return events.alias(_audiences=Cast("audiences", TextField())).filter(
        Q(audiences=[]) | Q(_audiences__contains=f'"{Audience.MUNICIPAL.value}"')
    )


def feed_registrations(email: str, now: dt.datetime | None = None):
    """A person's registrations made with this (confirmed) address: confirmed, waitlisted and
    cancelled ones, for events that were published. Unconfirmed web registrations are left out:
    anybody can type an address."""
    now = now or timezone.now()
    # One entry per event: a registration made again after a cancellation replaces the earlier
    # one (they share the entry's UID).
    later = (
        Registration.objects.filter(event_id=OuterRef("event_id"), email=OuterRef("email"))
        .exclude(status=Registration.Status.PENDING)
        .filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
    )
    return (
        Registration.objects.filter(email__iexact=email.strip())
        .exclude(status=Registration.Status.PENDING)
        .exclude(Exists(later))
        .filter(
            _event_in_feeds(now, "event__"),
            _kept(
                now,
                cancelled=Q(status=Registration.Status.CANCELLED),
                cancelled_at="cancelled_at",
                ends_at="event__ends_at",
            ),
        )
    )


# --- sources ------------------------------------------------------------------------------


def _calendar_item_source(name: str, rows, render) -> Source:
    """Events, visits and dispatches all carry updated_at and sequence (docs/design.md)."""
    return Source(
        name=name,
        rows=rows,
        stamp="updated_at",
        checksum="pk",
        key_fields=("pk", "updated_at", "sequence"),
        start_field="starts_at",
        render=render,
    )


def event_source(rows) -> Source:
    return _calendar_item_source("event", rows, render_events)


def visit_source(rows) -> Source:
    return _calendar_item_source("visit", rows, render_visits)


def dispatch_source(rows) -> Source:
    return _calendar_item_source("dispatch", rows, render_dispatches)


# Registrations have no change time of their own: the state is in the checksum (each status
# weighs the pk differently) and the event's changes in the stamp.
REGISTRATION_STATE_WEIGHT = Case(
    When(status=Registration.Status.CONFIRMED, then=F("pk") * 2),
    When(status=Registration.Status.CANCELLED, then=F("pk") * 3),
    default=F("pk"),
    output_field=BigIntegerField(),
)


def registration_source(rows) -> Source:
    return Source(
        name="registration",
        rows=rows,
        stamp="event__updated_at",
        checksum=REGISTRATION_STATE_WEIGHT,
        key_fields=("pk", "status", "event__updated_at", "event__sequence"),
        start_field="event__starts_at",
        render=render_registrations,
    )


# --- feeds --------------------------------------------------------------------------------


def public_feed() -> Feed:
    """Published trainings and awareness events (not liaison meetings), for everyone."""
    return Feed(
        identity="public",
        name=lambda: _ja(
            lambda: _("%(center)s: trainings and events") % {"center": current().name}
        ),
        description=lambda: _ja(
            lambda: _("Trainings for people who support those in social withdrawal.")
        ),
        sources=lambda now: [event_source(feed_events(now).trainings())],
    )


def feed_for(scope: Scope) -> Feed:
    """The feed of one subscription's scope."""
    if scope.kind == "municipality":
        return municipality_feed(scope.municipality_id)
    if scope.kind == "district":
        return district_feed(scope.district_id)
    if scope.kind == "block":
        return block_feed(scope.block_id)
    if scope.kind == "staff":
        return staff_feed(scope.user_id)
    if scope.kind == "registrant":
        return registrant_feed(scope.registrant_email)
    raise ValueError(f"unknown feed kind {scope.kind!r}")


def _area_feed(*, identity: str, liaison_meetings: Q, visits: Q, name) -> Feed:
    """A municipality's or a district's feed: the liaison meetings of its blocks, the trainings
    open to municipal staff, and the visits ``visits`` selects; ``name`` says it (in Japanese)."""

    def sources(now):
        events = feed_events(now)
        return [
            event_source(
                events.filter(
                    Q(kind=Event.Kind.LIAISON_MEETING) & liaison_meetings
                    | Q(pk__in=open_to_municipal_staff(events.trainings()).values("pk"))
                )
            ),
            visit_source(feed_visits(now).filter(visits)),
        ]

    return Feed(identity=identity, name=lambda: _ja(name), sources=sources)


def municipality_feed(municipality_id: int) -> Feed:
    """Visits to the municipality, its block's liaison meetings, and trainings open to its
    staff."""
    return _area_feed(
        identity=f"municipality:{municipality_id}",
        liaison_meetings=Q(block__municipalities__id=municipality_id),
        visits=Q(target__municipality_id=municipality_id),
        name=lambda: (
            _("%(name)s: visits, liaison meetings and trainings")
            % {"name": Municipality.objects.get(pk=municipality_id).name}
        ),
    )


def district_feed(district_id: int) -> Feed:
    """A health office's whole district: what its municipalities' feeds show together (visits
    to them, their blocks' liaison meetings, trainings open to municipal staff), and the visits
    to the district itself and to organizations in it (what its staff may see)."""
    return _area_feed(
        identity=f"district:{district_id}",
        liaison_meetings=Q(
            block__in=Municipality.objects.filter(district_id=district_id).values("block_id")
        ),
        visits=Q(target__in=Target.objects.in_district(district_id).values("pk")),
        name=lambda: (
            _("%(name)s district: visits, liaison meetings and trainings")
            % {"name": District.objects.get(pk=district_id).office_name}
        ),
    )


def block_feed(block_id: int) -> Feed:
    """The block's liaison meetings and the visits within it."""
    return Feed(
        identity=f"block:{block_id}",
        name=lambda: _ja(
            lambda: (
                _("%(name)s block: liaison meetings and visits")
                % {"name": Block.objects.get(pk=block_id).name}
            )
        ),
        sources=lambda now: [
            event_source(feed_events(now).liaison_meetings().filter(block_id=block_id)),
            visit_source(
                feed_visits(now).filter(target__in=Target.objects.in_block(block_id).values("pk"))
            ),
        ],
    )


def staff_feed(user_id: int) -> Feed:
    """The events, visits and lecturer dispatches a staff member is assigned to."""
    return Feed(
        identity=f"staff:{user_id}",
        name=lambda: _ja(
            lambda: _("%(name)s: my visits and events") % {"name": User.objects.get(pk=user_id)}
        ),
        sources=lambda now: [
            event_source(feed_events(now).filter(staff__id=user_id)),
            visit_source(feed_visits(now).filter(staff__id=user_id)),
            dispatch_source(feed_dispatches(now).filter(staff__id=user_id)),
        ],
    )


def registrant_feed(email: str) -> Feed:
    """Every registration made with one confirmed email address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
    return Feed(
        identity=f"registrant:{digest}",
        name=lambda: _ja(lambda: _("My training registrations")),
        description=lambda: _ja(lambda: _("From %(center)s.") % {"center": current().name}),
        sources=lambda now: [registration_source(feed_registrations(email, now))],
    )


def _ja(text):
    with translation.override("ja"):
        return str(text())


# --- items --------------------------------------------------------------------------------


def render_events(pks: list[int]) -> dict[int, bytes]:
    with translation.override("ja"):
        return {event.pk: vevent(event_item(event)) for event in Event.objects.filter(pk__in=pks)}


def render_visits(pks: list[int]) -> dict[int, bytes]:
    rows = Visit.objects.filter(pk__in=pks).with_target()
    with translation.override("ja"):
        return {visit.pk: vevent(visit_item(visit)) for visit in rows}


def render_dispatches(pks: list[int]) -> dict[int, bytes]:
    with translation.override("ja"):
        return {
            dispatch.pk: vevent(dispatch_item(dispatch))
            for dispatch in LecturerDispatch.objects.filter(pk__in=pks)
        }


def render_registrations(pks: list[int]) -> dict[int, bytes]:
    rows = Registration.objects.filter(pk__in=pks).select_related("event")
    with translation.override("ja"):
        return {registration.pk: vevent(registration_item(registration)) for registration in rows}


def _without(text: str, secret: str) -> str:
    """The text with a secret removed, should someone have pasted it there."""
    return text.replace(secret, "").strip() if secret else text.strip()


def _event_location(event: Event) -> str:
    if event.venue and event.is_online:
        return _("%(venue)s / online") % {"venue": event.venue}
    return event.venue or (_("Online") if event.is_online else "")


def _event_description(event: Event) -> list[str]:
    lines = [event.get_kind_display()]
    if event.kind != Event.Kind.LIAISON_MEETING:
        audiences = event.audience_labels()
        lines.append(
            _("For: %(audiences)s") % {"audiences": "、".join(audiences) if audiences else _("all")}
        )
    if event.description:
        lines += ["", _without(event.description, event.join_url)]
    if event.is_online:
        lines += ["", _("Confirmed registrants receive the link for joining online by email.")]
    return lines


def event_item(event: Event) -> Item:
    public = event.kind != Event.Kind.LIAISON_MEETING
    return Item(
        uid=event.ical_uid,
        sequence=event.sequence,
        changed_at=event.updated_at,
        created_at=event.created_at,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=_without(str(event), event.join_url),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        location=_without(_event_location(event), event.join_url),
        description="\n".join(_event_description(event)),
        url=settings.SITE_URL + event.get_absolute_url() if public else "",
        categories=(event.get_kind_display(),),
    )


def visit_item(visit: Visit) -> Item:
    """A visit as anyone subscribed may read it: target, kind, place and the public summary."""
    summary = _("%(target)s: %(kind)s (visit by the support center)") % {
        "target": visit.target.name,
        "kind": visit.get_kind_display(),
    }
    lines = []
    if visit.status == Visit.Status.POSTPONED:
        lines.append(_("The date of this visit was changed."))
    if visit.public_summary:
        lines.append(visit.public_summary.strip())
    return Item(
        uid=visit.ical_uid,
        sequence=visit.sequence,
        changed_at=visit.updated_at,
        created_at=visit.created_at,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        summary=summary,
        status="CANCELLED" if visit.status == Visit.Status.CANCELLED else "CONFIRMED",
        location=visit.place,
        description="\n".join(lines),
        categories=(_("Visit"),),
    )


def dispatch_item(dispatch: LecturerDispatch) -> Item:
    return Item(
        uid=dispatch.ical_uid,
        sequence=dispatch.sequence,
        changed_at=dispatch.updated_at,
        starts_at=dispatch.starts_at,
        ends_at=dispatch.ends_at,
        summary=_("Lecturer dispatch: %(title)s (%(host)s)")
        % {"title": dispatch.title, "host": dispatch.host},
        status=(
            "CANCELLED" if dispatch.status == LecturerDispatch.Status.CANCELLED else "CONFIRMED"
        ),
        location=dispatch.place,
        categories=(_("Lecturer dispatch"),),
    )


# Registration states only move forward (waitlisted -> confirmed -> cancelled), so adding a
# rank to the event's SEQUENCE raises it on every change of the entry's STATUS.
def registration_item(registration: Registration) -> Item:
    """One of the person's registrations: the event as the public sees it, with the state of
    the registration; never the join link or the management link."""
    event = registration.event
    status = registration.status
    if event.is_cancelled or status == Registration.Status.CANCELLED:
        ical_status = "CANCELLED"
    elif status == Registration.Status.WAITLISTED:
        ical_status = "TENTATIVE"
    else:
        ical_status = "CONFIRMED"
    title = _without(str(event), event.join_url)
    if event.is_cancelled:
        summary = title  # vevent() puts 【中止】 in front
        state = _("The event has been cancelled.")
    elif status == Registration.Status.CANCELLED:
        summary = _("[Registration cancelled] %(title)s") % {"title": title}
        state = _("You cancelled this registration.")
    elif status == Registration.Status.WAITLISTED:
        summary = _("[Waitlisted] %(title)s") % {"title": title}
        state = _("You are on the waiting list. We will email you when a seat is free.")
    else:
        summary = title
        state = _("Your registration is confirmed.")
    changes = [
        event.updated_at,
        registration.created_at,
        registration.confirmed_at,
        registration.waitlisted_at,
        registration.cancelled_at,
    ]
    return Item(
        uid=registration.ical_uid,
        sequence=registration.ical_sequence,
        changed_at=max(change for change in changes if change is not None),
        created_at=registration.created_at,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=summary,
        status=ical_status,
        location=_without(_event_location(event), event.join_url),
        description="\n".join([state, "", *_event_description(event)]),
        url=settings.SITE_URL + event.get_absolute_url(),
        categories=(event.get_kind_display(),),
        mark_cancelled=event.is_cancelled,
    )
