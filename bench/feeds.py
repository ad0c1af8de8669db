"""Benchmark of the calendar feeds (issue 6, "Speed"). Rerunnable; prints, never asserts.

Builds 2,000 published events (all assigned to one staff member, so that a secret-link feed
holds them too) in a fresh database and measures, in the same run, through Django's full
request path (test client, every middleware):

1. an unchanged feed against a plain view that returns the same bytes, and its queries;
2. the first request after one event changed against django-ical rendering the same 2,000
   events (django-ical is a dev-only dependency);
3. a conditional request (If-None-Match) answered 304, and its queries.

    .venv/bin/python bench/feeds.py                 # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python bench/feeds.py
    BENCH_EVENTS=5000 .venv/bin/python bench/feeds.py
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="sasaeru-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production-like: no query logging of DEBUG.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SASAERU_VAR_DIR"] = WORKDIR
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_ical.views import ICalFeed  # noqa: E402

from config import urls  # noqa: E402
from directory.models import User  # noqa: E402
from feeds import calendars, services  # noqa: E402
from training.models import Audience, Event  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
CHANGES = int(os.environ.get("BENCH_CHANGES", "10"))


class DjangoIcalTrainings(ICalFeed):
    """The same events, rendered by django-ical (the reference the issue names)."""

    product_id = "-//Sasaeru//bench//JA"
    timezone = "Asia/Tokyo"
    title = "研修・イベント"

    def items(self):
        return calendars.feed_events().trainings().order_by("starts_at", "pk")

    def item_guid(self, item):
        return item.ical_uid

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.get_absolute_url()

    def item_start_datetime(self, item):
        return item.starts_at

    def item_end_datetime(self, item):
        return item.ends_at

    def item_location(self, item):
        return item.venue

    def item_updateddate(self, item):
        return item.updated_at

    def item_timestamp(self, item):
        return item.updated_at


PLAIN_BODY = {"bytes": b""}


def plain(request):
    """A view that does nothing but return the feed's bytes: the floor to compare with."""
    return HttpResponse(PLAIN_BODY["bytes"], content_type="text/calendar; charset=utf-8")


def build(staff: User) -> None:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    rows = [
        Event(
            title=f"ひきこもり支援者研修 第{number}回『アセスメントと連携』",
            kind=Event.Kind.LECTURE,
            status=Event.Status.PUBLISHED,
            published_at=timezone.now(),
            description="講義と質疑応答。支援機関の方、市町村職員の方が対象です。" * 2,
            starts_at=start + dt.timedelta(hours=6 * number),
            ends_at=start + dt.timedelta(hours=6 * number + 2),
            venue="高知県立ふくし交流プラザ 第1研修室",
            audiences=[Audience.MUNICIPAL, Audience.WELFARE_COMMISSIONER],
        )
        for number in range(EVENTS)
    ]
    Event.objects.bulk_create(rows, batch_size=500)
    Through = Event.staff.through
    Through.objects.bulk_create(
        [
            Through(event_id=pk, user_id=staff.pk)
            for pk in Event.objects.values_list("pk", flat=True)
        ],
        batch_size=500,
    )


def timed(function, rounds: int) -> float:
    """Median seconds of one call."""
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context)


def main() -> None:
    print(f"# database: {connection.vendor}; {EVENTS} events; median of {ROUNDS} requests")
    call_command("migrate", verbosity=0)
    staff = User.objects.create(username="bench", role="center", last_name="支援")
    build(staff)
    _row, raw = services.issue_subscription(target=staff, label="bench", issued_by=staff)
    secret = f"/calendar/s/{raw}.ics"
    public = "/calendar/trainings.ics"
    urls.urlpatterns += [
        path("bench/plain.ics", plain),
        path("bench/django-ical.ics", DjangoIcalTrainings()),
    ]
    clear_url_caches()
    client = Client()

    results = []
    for label, url in (("public feed", public), ("secret-link feed", secret)):
        first = client.get(url)
        assert first.status_code == 200 and first.content.count(b"BEGIN:VEVENT") == EVENTS
        PLAIN_BODY["bytes"] = first.content
        assert client.get("/bench/plain.ics").content == first.content

        unchanged = timed(lambda url=url: client.get(url), ROUNDS)
        floor = timed(lambda: client.get("/bench/plain.ics"), ROUNDS)
        unchanged_queries = queries(lambda url=url: client.get(url))
        etag = first["ETag"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304
        conditional_queries = queries(
            lambda url=url, etag=etag: client.get(url, HTTP_IF_NONE_MATCH=etag)
        )
        conditional = timed(
            lambda url=url, etag=etag: client.get(url, HTTP_IF_NONE_MATCH=etag), ROUNDS
        )
        results.append(
            (label, unchanged, floor, unchanged_queries, conditional, conditional_queries)
        )
        print(f"# {label}: {len(first.content):,} bytes")

    # 2. one event changed, first request after it; django-ical renders everything each time
    event_ids = list(Event.objects.order_by("pk").values_list("pk", flat=True)[:CHANGES])
    after_change = []
    for number, pk in enumerate(event_ids):
        event = Event.objects.get(pk=pk)
        event.venue = f"高知城ホール 会議室{number}"
        event.sequence += 1
        event.save()
        began = time.perf_counter()
        response = client.get(public)
        after_change.append(time.perf_counter() - began)
        assert f"会議室{number}".encode() in response.content.replace(b"\r\n ", b"")
    changed = statistics.median(after_change)
    django_ical = timed(lambda: client.get("/bench/django-ical.ics"), max(3, CHANGES // 2))
    reference = client.get("/bench/django-ical.ics").content
    assert reference.count(b"BEGIN:VEVENT") == EVENTS

    print()
    print("| measurement | time | queries | ratio | target |")
    print("|---|---|---|---|---|")
    for label, unchanged, floor, unchanged_queries, _c, _cq in results:
        print(
            f"| 1. unchanged {label} vs plain view with the same bytes | {unchanged * 1000:.2f} ms "
            f"vs {floor * 1000:.2f} ms | {unchanged_queries} | {unchanged / floor:.2f}x | ≤ 2x, ≤ 3 queries |"
        )
    print(
        f"| 2. first request after one event changed vs django-ical | {changed * 1000:.1f} ms vs "
        f"{django_ical * 1000:.0f} ms | | {django_ical / changed:.0f}x faster | ≥ 20x |"
    )
    for label, _u, _f, _q, conditional, conditional_queries in results:
        print(
            f"| 3. conditional request on the {label} (304) | {conditional * 1000:.2f} ms | "
            f"{conditional_queries} | | ≤ 2 queries |"
        )


if __name__ == "__main__":
    main()
