"""The feed engine: a feed is a few sources of calendar items; this module writes them as one
iCalendar file that real clients accept, and keeps that cheap when calendar apps poll.

Cost model (docs/apps.md, "Calendar feeds"):

- ``Feed.version()`` is one query (a UNION ALL of one aggregate per source: newest change
  stamp, count and a checksum of the rows), kept in the ``feeds`` cache for
  ``FEEDS_VERSION_SECONDS``. Its digest is the ETag and the key of the whole rendered file in
  the ``feeds`` cache, so an unchanged feed is at most that one query plus a cache read.
- When the version changed, ``Feed.render()`` reads each source's item keys (one query per
  source), takes every VEVENT whose key (uid + change stamp + sequence) is already in the cache,
  renders only the others (one query per source with misses) and stores the new file.
- Keys contain the version of the data, so a cache never serves stale bytes, whether it is
  shared (Redis) or per process (local memory): see ``config/settings.py`` CACHES["feeds"].

Every VEVENT's DTSTAMP and LAST-MODIFIED are the item's own change time, so the same data gives
the same bytes; times carry TZID=Asia/Tokyo with a VTIMEZONE in the file; lines are folded at 75
octets between characters and end in CRLF (the icalendar library does both).
"""

import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max, QuerySet, Sum, TextField, Value
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Cast
from django.utils import timezone

from core.center import current
from core.emails import sender_address
from core.fiscal import TOKYO

# Raise when the rendering of items changes, so that no cache serves the old rendering.
RENDER_VERSION = 1
PRODID = "-//Sasaeru//Hikikomori Regional Support Center//JA"
TIMEZONE = "Asia/Tokyo"
# A hint only: Google refreshes subscriptions every 8-24 hours whatever a feed says.
REFRESH_INTERVAL = dt.timedelta(hours=1)
# Cancelled items stay in feeds at least this long after the cancellation (and until they end),
# with STATUS:CANCELLED and 【中止】, so every subscriber's calendar learns of it.
CANCELLED_KEPT_FOR = dt.timedelta(days=30)
CANCELLED_PREFIX = "【中止】"
CACHE_ALIAS = "feeds"


def feed_cache():
    return caches[CACHE_ALIAS]


class HotFiles:
    """The rendered files this process served last, kept as they are: Django's caches pickle
    every value, and unpickling a 1.6 MB file costs more than sending it. Keys carry the data
    version, so an entry is never stale; the least recently served go first beyond the budget."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[int, bytes] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple[int, bytes]) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.size += len(entry[1])
            while self.size > self.budget and len(self.entries) > 1:
                _key, (_modified, body) = self.entries.popitem(last=False)
                self.size -= len(body)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


hot_files = HotFiles(budget=settings.FEEDS_MEMORY_MB * 1024 * 1024)


class HotItems:
    """Each feed's VEVENTs of the file this process rendered last, by item key, so that a
    changed feed re-renders only the changed items without a cache round trip per item."""

    def __init__(self, feeds: int):
        self.feeds = feeds
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, identity: str) -> dict | None:
        with self.lock:
            return self.entries.get(identity)

    def put(self, identity: str, items: dict) -> None:
        with self.lock:
            self.entries[identity] = items
            self.entries.move_to_end(identity)
            while len(self.entries) > self.feeds:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


hot_items = HotItems(feeds=settings.FEEDS_MEMORY_FEEDS)
# Each feed's data version as this process last read it, with the time it expires, by identity
# (emptied when it holds more than HOT_VERSIONS feeds: a few hundred bytes each).
hot_versions: dict[str, tuple[str, float]] = {}
HOT_VERSIONS = 20_000


def forget_local() -> None:
    """Empty this process's copies (tests, after changing data with the version kept)."""
    hot_files.clear()
    hot_items.clear()
    hot_versions.clear()


@dataclass(frozen=True)
class Source:
    """One kind of calendar item in a feed.

    ``rows`` are the items in this feed. ``stamp`` names the field whose maximum moves with
    every change of an item (``updated_at``); ``checksum`` is summed over the rows and must
    change when the set of rows or a state that ``stamp`` does not cover changes. ``key_fields``
    identify one rendering of one item (the pk first): together with ``name`` they are its cache
    key. ``start_field`` orders the items. ``render`` takes pks and returns their VEVENT bytes.
    """

    name: str
    rows: QuerySet
    stamp: str
    checksum: str | BaseExpression
    key_fields: tuple[str, ...]
    start_field: str
    render: Callable[[list[int]], dict[int, bytes]]


@dataclass
class Feed:
    """What one calendar URL serves: an identity (the cache namespace), a name computed only
    when the file is rendered, and its sources, built for an instant (``feed_now()``)."""

    identity: str
    name: Callable[[], str]
    sources: Callable[[dt.datetime], list[Source]]
    description: Callable[[], str] = lambda: ""

    def version(self, now: dt.datetime | None = None) -> str:
        """A digest of everything the file depends on, at most ``FEEDS_VERSION_SECONDS`` old:
        so a change shows in feeds within that time, and an unchanged feed's poll needs no
        query. Computed by one query (its SQL built once per feed and hour, ``feed_now``) and
        shared through the ``feeds`` cache with the time it expires; each process also keeps it
        (``hot_versions``) until that same time, so most polls do not even ask the cache."""
        seconds = settings.FEEDS_VERSION_SECONDS
        if now is not None or seconds <= 0:
            return self._version(now or feed_now())
        wall = time.time()
        kept = hot_versions.get(self.identity)
        if kept is not None and wall < kept[1]:
            return kept[0]
        key = f"feeds:{RENDER_VERSION}:versions:{self.identity}"
        cache = feed_cache()
        kept = cache.get(key)
        if kept is None or wall >= kept[1]:
            kept = (self._version(feed_now()), wall + seconds)
            cache.set(key, kept, seconds)
        if len(hot_versions) >= HOT_VERSIONS:
            hot_versions.clear()
        hot_versions[self.identity] = kept
        return kept[0]

    def _version(self, now: dt.datetime) -> str:
        sql, params = _version_sql(self, now)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = sorted(cursor.fetchall())
        # The center's name is in the calendar's name: a new name is a new file (no query).
        center = current().name
        text = repr((RENDER_VERSION, self.identity, center, [_plain(row) for row in rows]))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def render(self, now: dt.datetime | None = None) -> bytes:
        """The whole iCalendar file. A VEVENT comes from this feed's previous file when its
        key (source, pk, change stamp, sequence) is unchanged, else from the shared item cache,
        else it is rendered (one query per source with such items)."""
        sources = self.sources(now or feed_now())
        entries = []  # (start, source index, pk, item key), all text as the database gives it
        for index, source in enumerate(sources):
            as_text = {
                f"_k{n}": Cast(name, TextField()) for n, name in enumerate(source.key_fields)
            }
            query = (
                source.rows.order_by()
                .annotate(**as_text, _start=Cast(source.start_field, TextField()))
                .values_list("_start", *as_text)
            )
            sql, params = query.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for start, *key in cursor.fetchall():
                    entries.append((start, index, int(key[0]), (source.name, *key)))
        entries.sort(key=lambda entry: entry[:3])
        previous = hot_items.get(self.identity) or {}
        blobs = {entry[3]: previous[entry[3]] for entry in entries if entry[3] in previous}
        unknown = [entry for entry in entries if entry[3] not in blobs]
        if unknown:
            cache = feed_cache()
            shared = cache.get_many([item_cache_key(entry[3]) for entry in unknown])
            missing: dict[int, list[tuple[int, tuple]]] = {}
            for _start, index, pk, item_key in unknown:
                blob = shared.get(item_cache_key(item_key))
                if blob is None:
                    missing.setdefault(index, []).append((pk, item_key))
                else:
                    blobs[item_key] = blob
            for index, wanted in missing.items():
                rendered = sources[index].render([pk for pk, _key in wanted])
                fresh = {item_key: rendered[pk] for pk, item_key in wanted if pk in rendered}
                cache.set_many({item_cache_key(key): blob for key, blob in fresh.items()})
                blobs.update(fresh)
        hot_items.put(self.identity, blobs)
        body = [calendar_head(self.name(), self.description(), with_timezone=bool(entries))]
        body.extend(blobs[entry[3]] for entry in entries if entry[3] in blobs)
        body.append(b"END:VCALENDAR\r\n")
        return b"".join(body)


def feed_now() -> dt.datetime:
    """The instant feeds are built for: now, to the hour. Time-dependent filters (how long a
    cancelled item stays) move once an hour, so the version query's SQL can be reused."""
    return timezone.now().replace(minute=0, second=0, microsecond=0)


_VERSION_SQL: dict[tuple[str, dt.datetime], tuple[str, tuple]] = {}


def _version_sql(feed: Feed, now: dt.datetime) -> tuple[str, tuple]:
    key = (feed.identity, now)
    if key not in _VERSION_SQL:
        if any(bucket != now for _identity, bucket in _VERSION_SQL):
            _VERSION_SQL.clear()
        parts = [
            source.rows.order_by()
            .annotate(_source=Value(index))
            .values("_source")
            .annotate(_stamp=Max(source.stamp), _count=Count("pk"), _checksum=Sum(source.checksum))
            .values_list("_source", "_stamp", "_count", "_checksum")
            for index, source in enumerate(feed.sources(now))
        ]
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        _VERSION_SQL[key] = query.query.sql_with_params()
    return _VERSION_SQL[key]


def item_cache_key(key: tuple) -> str:
    """The shared cache's key of one VEVENT: (source, pk, change stamp, ...) as text."""
    return f"feeds:{RENDER_VERSION}:item:" + ":".join(part.replace(" ", "T") for part in key)


def feed_cache_key(identity: str, version: str) -> str:
    return f"feeds:{RENDER_VERSION}:file:{identity}:{version}"


def _key_part(value) -> str:
    """Values as the database driver gives them (SQLite: text; PostgreSQL: datetimes)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return str(value).replace(" ", "T")


def _plain(row) -> tuple:
    return tuple(_key_part(value) if value is not None else "" for value in row)


# --- writing ------------------------------------------------------------------------------


def calendar_head(name: str, description: str, *, with_timezone: bool) -> bytes:
    """Everything before the first VEVENT: the calendar's properties, then its VTIMEZONE
    (Outlook ignores calendar properties placed after a component)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    if description:
        calendar.add("x-wr-caldesc", description)
        calendar.add("description", description)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    head = calendar.to_ical()
    assert head.endswith(b"END:VCALENDAR\r\n")
    head = head[: -len(b"END:VCALENDAR\r\n")]
    return head + (TOKYO_VTIMEZONE if with_timezone else b"")


def _tokyo_vtimezone() -> bytes:
    """Asia/Tokyo as one STANDARD rule (+09:00, no daylight saving since 1951): the shape
    Outlook keeps without shifting times."""
    zone = icalendar.Timezone()
    zone.add("tzid", TIMEZONE)
    zone.add("x-lic-location", TIMEZONE)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=9))
    standard.add("tzoffsetto", dt.timedelta(hours=9))
    standard.add("tzname", "JST")
    zone.add_component(standard)
    return zone.to_ical()


TOKYO_VTIMEZONE = _tokyo_vtimezone()


@dataclass(frozen=True)
class Item:
    """One VEVENT as feeds write it. ``changed_at`` is DTSTAMP and LAST-MODIFIED."""

    uid: str
    sequence: int
    changed_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    status: str  # CONFIRMED, TENTATIVE or CANCELLED
    location: str = ""
    description: str = ""
    url: str = ""
    created_at: dt.datetime | None = None
    categories: tuple[str, ...] = ()
    # A cancelled item's title starts with 【中止】 unless the summary already says why it is
    # cancelled (a registrant's own cancellation).
    mark_cancelled: bool = True


def organizer() -> icalendar.vCalAddress:
    """Every event of a METHOD:PUBLISH calendar carries an ORGANIZER: the center."""
    value = icalendar.vCalAddress(f"mailto:{sender_address()}")
    value.params["CN"] = current().name
    return value


def vevent(item: Item) -> bytes:
    """The VEVENT of one item; a cancelled one's title starts with 【中止】."""
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", _utc(item.changed_at))
    if item.created_at:
        event.add("created", _utc(min(item.created_at, item.changed_at)))
    event.add("last-modified", _utc(item.changed_at))
    event.add("sequence", item.sequence)
    event.add("dtstart", item.starts_at.astimezone(TOKYO))
    event.add("dtend", item.ends_at.astimezone(TOKYO))
    summary = item.summary
    if item.status == "CANCELLED" and item.mark_cancelled:
        summary = CANCELLED_PREFIX + summary
    event.add("summary", summary)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", list(item.categories))
    event.add("status", item.status)
    event.add("transp", "TRANSPARENT" if item.status == "CANCELLED" else "OPAQUE")
    event.add("organizer", organizer())
    return event.to_ical()


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def cancelled_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Items cancelled before this instant (and already over) leave the feeds."""
    return (now or timezone.now()) - CANCELLED_KEPT_FOR
