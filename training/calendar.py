"""The .ics of one event for one registrant: attached to emails and downloaded from the
management page. Stable UID (the registration's ``ical_uid``: one per person and event, the
same as in the person's feed), ``SEQUENCE`` from the event and the registration, METHOD:REQUEST
for a live event and METHOD:CANCEL for a cancelled one. The join link is never written here
(calendars get shared); the location of an online lecture is just "オンライン"."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from core.emails import sender_address
from training.models import Event, Registration


def event_ics(
    event: Event, registration: Registration | None = None, *, cancel: bool = False
) -> bytes:
    """The calendar file, in the registrant's language. ``cancel`` (or a cancelled event) makes
    it a METHOD:CANCEL that removes the entry from the registrant's calendar."""
    language = registration.language if registration else "ja"
    cancelled = cancel or event.is_cancelled
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//Sasaeru//training//JA")
        calendar.add("version", "2.0")
        calendar.add("method", "CANCEL" if cancelled else "REQUEST")
        item = VEvent()
        if registration is not None:
            item.add("uid", registration.ical_uid)
            item.add("sequence", event.sequence + registration.sequence)
        else:
            item.add("uid", event.ical_uid)
            item.add("sequence", event.sequence)
        item.add("dtstamp", timezone.now())
        item.add("last-modified", event.updated_at or timezone.now())
        item.add("dtstart", event.starts_at)
        item.add("dtend", event.ends_at)
        waitlisted = (
            registration is not None and registration.status == Registration.Status.WAITLISTED
        )
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
        if registration is not None and registration.email:
            attendee = vCalAddress(f"mailto:{registration.email}")
            attendee.params["cn"] = vText(registration.name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            item.add("attendee", attendee)
        calendar.add_component(item)
    return calendar.to_ical()
