"""Benchmark of the calendar feeds (issues 6 and 26). Rerunnable; prints, never asserts.

Builds 2,000 published events (all assigned to one staff member and open to municipal staff,
so that a staff member's and a municipality's secret links hold them too) in a fresh database
and measures, in the same run, through Django's full request path:

1. an unchanged feed (public; a staff member's link; a municipality's link) over HTTP against a
   plain view that returns the same bytes, and its queries;
2. the first request after one event changed against django-ical rendering the same 2,000
   events (django-ical is a dev-only dependency);
3. a conditional request (If-None-Match) answered 304, and its queries.

It runs twice, each in a process of its own: the embedded default (no REDIS_URL: the feeds
cache is local memory, what ``bin/run`` serves) and with Redis (``BENCH_REDIS_URL``, default
redis://127.0.0.1:6379/0). Both use the production windows (``FEEDS_VERSION_SECONDS`` and
``FEEDS_FETCH_FLUSH_SECONDS`` at their defaults); measurement 2 sets the version window to 0
while it changes events, so each change shows at once.

    .venv/bin/python bench/feeds.py                 # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python bench/feeds.py
    BENCH_EVENTS=5000 BENCH_CACHES=embedded .venv/bin/python bench/feeds.py
"""

import datetime as dt
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONFIGURATIONS = {
    "embedded": "",  # no REDIS_URL: what bin/run serves
    "redis": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
}
if "BENCH_CACHE" not in os.environ:
    # The parent: one process per configuration (the caches are chosen at start-up).
    for name in os.environ.get("BENCH_CACHES", "embedded redis").split():
        env = {**os.environ, "BENCH_CACHE": name, "REDIS_URL": CONFIGURATIONS[name]}
        subprocess.run([sys.executable, __file__], env=env, check=True)
    sys.exit(0)
WORKDIR = tempfile.mkdtemp(prefix="sasaeru-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production-like: no query logging of DEBUG.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # plain HTTP, no TLS proxy
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["SASAERU_VAR_DIR"] = WORKDIR
os.makedirs(f"{WORKDIR}/static", exist_ok=True)
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Persistent connections, as README recommends for production: SQLite keeps its page cache.
os.environ.setdefault("CONN_MAX_AGE", "60")
# The production windows (60 s each), as bin/run and bin/serve serve them.
os.environ.pop("FEEDS_VERSION_SECONDS", None)
os.environ.pop("FEEDS_FETCH_FLUSH_SECONDS", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_ical.views import ICalFeed  # noqa: E402

from config import urls  # noqa: E402
from directory.models import Municipality, User  # noqa: E402
from feeds import calendars, services  # noqa: E402
from feeds.ical import feed_cache  # noqa: E402
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


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve() -> str:
    """Sasaeru under a WSGI server on a free port, as calendar apps reach it: one worker thread
    that keeps its database connection, like a synchronous gunicorn worker."""
    server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"127.0.0.1:{server.server_address[1]}"


def http_get(address: str, url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One request on a new connection, as a calendar app polls."""
    connection_ = http.client.HTTPConnection(address, timeout=60)
    connection_.request("GET", url, headers=headers or {})
    response = connection_.getresponse()
    body = response.read()
    connection_.close()
    return response.status, dict(response.getheaders()), body


class Sample:
    """Median wall-clock and process CPU seconds of calls. CPU time (all threads of this
    process: client, server and SQLite) is what the work costs, whatever else the machine
    runs; wall-clock also counts waiting for a CPU and, on PostgreSQL, the server's work."""

    def __init__(self):
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def measure(self, function):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return result

    def __truediv__(self, other: "Sample") -> str:
        return (
            f"{self.median('wall') / other.median('wall'):.2f}x wall, "
            f"{self.median('cpu') / other.median('cpu'):.2f}x CPU"
        )

    def median(self, kind: str) -> float:
        return statistics.median(getattr(self, kind))

    def __str__(self) -> str:
        return f"{self.median('wall') * 1000:.2f} ms ({self.median('cpu') * 1000:.2f} ms CPU)"


def timed(function, rounds: int) -> Sample:
    sample = Sample()
    for _ in range(rounds):
        sample.measure(function)
    return sample


def compare(first, second) -> tuple[Sample, Sample]:
    """Both, called alternately, so that both see the same machine load."""
    samples = (Sample(), Sample())
    for _ in range(ROUNDS):
        samples[0].measure(first)
        samples[1].measure(second)
    return samples


def queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context)


def main() -> None:
    cache = settings.CACHES["feeds"]["BACKEND"].rsplit(".", 1)[-1]
    print()
    print(
        f"## {os.environ['BENCH_CACHE']}: database {connection.vendor}, feeds cache {cache}; "
        f"{EVENTS} events; median of {ROUNDS} requests"
    )
    call_command("migrate", verbosity=0)
    feed_cache().clear()  # a shared Redis may hold another run's files of the same identities
    staff = User.objects.create(username="bench", role="center", last_name="支援")
    build(staff)
    _row, raw = services.issue_subscription(target=staff, label="bench", issued_by=staff)
    town = Municipality.objects.order_by("pk").first()
    _row, town_raw = services.issue_subscription(target=town, label="bench", issued_by=staff)
    feeds = {
        "public feed": "/calendar/trainings.ics",
        "staff member's secret link": f"/calendar/s/{raw}.ics",
        "municipality's secret link": f"/calendar/s/{town_raw}.ics",
    }
    urls.urlpatterns += [
        path("bench/plain.ics", plain),
        path("bench/django-ical.ics", DjangoIcalTrainings()),
    ]
    clear_url_caches()
    address = serve()
    client = Client()

    rows = []
    for label, url in feeds.items():
        status, headers, body = http_get(address, url)
        assert status == 200 and body.count(b"BEGIN:VEVENT") >= EVENTS
        PLAIN_BODY["bytes"] = body
        assert http_get(address, "/bench/plain.ics")[2] == body
        etag = headers["ETag"]
        assert http_get(address, url, {"If-None-Match": etag})[0] == 304
        print(f"# {label}: {len(body):,} bytes")
        http_feed, http_plain = compare(
            lambda url=url: http_get(address, url), lambda: http_get(address, "/bench/plain.ics")
        )
        inproc_feed, inproc_plain = compare(
            lambda url=url: client.get(url), lambda: client.get("/bench/plain.ics")
        )
        rows.append(
            {
                "label": label,
                "http": http_feed,
                "http_plain": http_plain,
                "http_304": timed(
                    lambda url=url, etag=etag: http_get(address, url, {"If-None-Match": etag}),
                    ROUNDS,
                ),
                "inproc": inproc_feed,
                "inproc_plain": inproc_plain,
                "queries": queries(lambda url=url: client.get(url)),
                "queries_304": queries(
                    lambda url=url, etag=etag: client.get(url, HTTP_IF_NONE_MATCH=etag)
                ),
            }
        )

    # 2. the first request after one event changed, alternating with django-ical rendering
    # the same events (it renders everything on every request)
    public = feeds["public feed"]
    assert http_get(address, "/bench/django-ical.ics")[2].count(b"BEGIN:VEVENT") == EVENTS
    after_change, reference = Sample(), Sample()
    with override_settings(FEEDS_VERSION_SECONDS=0):  # each change shows at once
        for number, pk in enumerate(
            Event.objects.order_by("pk").values_list("pk", flat=True)[:CHANGES]
        ):
            event = Event.objects.get(pk=pk)
            event.venue = f"高知城ホール 会議室{number}"
            event.sequence += 1
            event.save()
            _status, _headers, body = after_change.measure(lambda: http_get(address, public))
            assert f"会議室{number}".encode() in body.replace(b"\r\n ", b"")
            reference.measure(lambda: http_get(address, "/bench/django-ical.ics"))

    print()
    print("| # | measurement | Sasaeru | reference | ratio | queries | goal |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| 1 | unchanged {row['label']} over HTTP vs a plain view with the same bytes | "
            f"{row['http']} | {row['http_plain']} | {row['http'] / row['http_plain']} | "
            f"{row['queries']} | ≤ 1.5x, ≤ 1 query |"
        )
    for row in rows:
        print(
            f"| 1 | the same in process ({row['label']}; test client, no socket) | "
            f"{row['inproc']} | {row['inproc_plain']} | {row['inproc'] / row['inproc_plain']} | "
            f"{row['queries']} | (for information) |"
        )
    print(
        f"| 2 | first request after one event changed vs django-ical, over HTTP | "
        f"{after_change} | {reference} | {reference / after_change} faster | | ≥ 20x |"
    )
    for row in rows:
        print(
            f"| 3 | conditional request (If-None-Match) on the {row['label']}: 304 | "
            f"{row['http_304']} | | | {row['queries_304']} | ≤ 1 query |"
        )


if __name__ == "__main__":
    main()
