"""The .ics of one event for one registrant: attached to emails and downloaded from the
management page. Stable UID (the registration's ``ical_uid``: one per person and event, the
same as in the person's feed), ``SEQUENCE`` from the event and the registration, METHOD:REQUEST
for a live event and METHOD:CANCEL for a cancelled one. The join link is never written here
(calendars get shared); the location of an online lecture is just "オンライン"."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent
from icalendar.parser import Contentline, Parameters

from core.emails import sender_address
from training.models import Event, Registration


def event_ics(
    event: Event,
    registration: Registration | None = None,
    *,
    cancel: bool = False,
    memo: dict | None = None,
) -> bytes:
    """The calendar file, in the registrant's language. ``cancel`` (or a cancelled event) makes
    it a METHOD:CANCEL that removes the entry from the registrant's calendar.

    What is the same for everyone at the event (its times, place, organizer) is rendered once
    per ``memo`` (a dict that lives for one batch of mail, see notifications.registry); only the
    person's lines (UID, SEQUENCE, DTSTAMP, ATTENDEE) are rendered per file."""
    language = registration.language if registration else "ja"
    cancelled = cancel or event.is_cancelled
    waitlisted = registration is not None and registration.status == Registration.Status.WAITLISTED
    key = ("training.event_ics", event.pk, event.updated_at, language, cancelled, waitlisted)
    shared = memo.get(key) if memo is not None else None
    if shared is None:
        shared = _event_part(event, language, cancelled=cancelled, waitlisted=waitlisted)
        if memo is not None:
            memo[key] = shared
    head, tail = shared
    return head + _person_lines(event, registration) + tail


BEGIN = b"BEGIN:VEVENT\r\n"
END = b"END:VEVENT\r\n"


def _event_part(
    event: Event, language: str, *, cancelled: bool, waitlisted: bool
) -> tuple[bytes, bytes]:
    """The file without the person's lines, split where they go (after BEGIN:VEVENT)."""
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Sasaeru//training//JA")
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if cancelled else "REQUEST")
        item = VEvent()
        item.add("last-modified", event.updated_at or timezone.now())
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        # As the person's feed (feeds.calendars.registration_item) says it, under the same UID.
        if waitlisted and not cancelled:
            item.add("summary", _("[Waitlisted] %(title)s") % {"title": str(event)})
        else:
            item.add("summary", str(event))
        location = event.venue or (_("Online") if event.is_online else "")
        if location:
            item.add("location", location)
        item.add("url", settings.SITE_URL + event.get_absolute_url())
        item.add("status", "CANCELLED" if cancelled else "TENTATIVE" if waitlisted else "CONFIRMED")
        organizer = vCalAddress(f"mailto:{sender_address()}")
        organizer.params["cn"] = vText(_("Hikikomori Regional Support Center"))
        item.add("organizer", organizer)
        calendar.add_component(item)
        text = calendar.to_ical()
    cut = text.index(BEGIN) + len(BEGIN)
    return text[:cut], text[cut:]


def _person_lines(event: Event, registration: Registration | None) -> bytes:
    """UID, SEQUENCE, DTSTAMP and ATTENDEE: the lines that differ from person to person,
    written as icalendar writes them (escaped, parameters quoted, folded) without building a
    component."""
    if registration is not None:
        uid, sequence = registration.ical_uid, event.sequence + registration.sequence
    else:
        uid, sequence = event.ical_uid, event.sequence
    stamp = timezone.now().astimezone(dt.UTC)
    lines = [
        Contentline.from_parts("UID", Parameters(), vText(uid)),
        Contentline(f"SEQUENCE:{int(sequence)}"),
        Contentline(f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}"),
    ]
    if registration is not None and registration.email:
        lines.append(
            Contentline.from_parts(
                "ATTENDEE",
                Parameters({"CN": registration.name, "ROLE": "REQ-PARTICIPANT"}),
                vCalAddress(f"mailto:{registration.email}"),
            )
        )
    return b"".join(line.to_ical() + b"\r\n" for line in lines)
