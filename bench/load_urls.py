"""bench/load.py only: the application's URLs plus the reference the feed polls are measured
against, a view that returns one feed's bytes from memory (no database, no cache). It is routed
like the feed links (``/calendar/m/<token>.ics``, just before the feeds' URLs), so both pay the
same URL resolution and the same token-page headers (core/middleware.py): the difference
between the two phases is the feed's own work."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as application

BODY: dict[str, bytes] = {}


def feed_from_memory(request, token: str):
    if "body" not in BODY:
        from feeds.calendars import Scope, feed_for
        from feeds.models import Subscription

        row = Subscription.objects.filter(kind="municipality").first()
        BODY["body"] = feed_for(Scope(kind=row.kind, municipality_id=row.municipality_id)).render()
    return HttpResponse(BODY["body"], content_type="text/calendar; charset=utf-8")


_feeds = next(n for n, pattern in enumerate(application) if str(pattern.pattern) == "calendar/")
urlpatterns = [
    *application[:_feeds],
    path("calendar/m/<str:token>.ics", feed_from_memory),
    *application[_feeds:],
]
