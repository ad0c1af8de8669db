"""The feed engine: a feed is a few sources of calendar items; this module writes them as one
iCalendar file that real clients accept, and keeps that cheap when calendar apps poll.

Cost model (README "Calendar feeds"):

- ``Feed.version()`` is one query (a UNION ALL of one aggregate per source: newest change
  stamp, count and a checksum of the rows). Its digest is the ETag and the key of the whole
  rendered file in the ``feeds`` cache, so an unchanged feed is that one query plus a cache read.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Max, QuerySet, Sum, Value
from django.db.models.expressions import BaseExpression
from django.utils import timezone

from directory.fiscal import TOKYO

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
    when the file is rendered, and its sources."""

    identity: str
    name: Callable[[], str]
    sources: list[Source] = field(default_factory=list)
    description: Callable[[], str] = lambda: ""

    def version(self) -> str:
        """A digest of everything the file depends on, in one query."""
        parts = [
            source.rows.order_by()
            .annotate(_source=Value(index))
            .values("_source")
            .annotate(_stamp=Max(source.stamp), _count=Count("pk"), _checksum=Sum(source.checksum))
            .values_list("_source", "_stamp", "_count", "_checksum")
            for index, source in enumerate(self.sources)
        ]
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        rows = sorted(query)
        text = repr((RENDER_VERSION, self.identity, [_plain(row) for row in rows]))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def render(self) -> bytes:
        """The whole iCalendar file, reusing every cached VEVENT that is still current."""
        cache = feed_cache()
        entries = []  # (start, source index, pk, cache key)
        for index, source in enumerate(self.sources):
            values = source.rows.order_by().values_list(*source.key_fields, source.start_field)
            for *key, start in values:
                cache_key = item_cache_key(source.name, key)
                entries.append((start, index, key[0], cache_key))
        entries.sort(key=lambda entry: entry[:3])
        blobs = cache.get_many([entry[3] for entry in entries])
        missing: dict[int, list[tuple[int, str]]] = {}
        for _start, index, pk, cache_key in entries:
            if cache_key not in blobs:
                missing.setdefault(index, []).append((pk, cache_key))
        for index, wanted in missing.items():
            rendered = self.sources[index].render([pk for pk, _key in wanted])
            fresh = {cache_key: rendered[pk] for pk, cache_key in wanted if pk in rendered}
            cache.set_many(fresh)
            blobs.update(fresh)
        body = [calendar_head(self.name(), self.description(), with_timezone=bool(entries))]
        body.extend(blobs[entry[3]] for entry in entries if entry[3] in blobs)
        body.append(b"END:VCALENDAR\r\n")
        return b"".join(body)


def item_cache_key(source: str, key: Iterable) -> str:
    return f"feeds:{RENDER_VERSION}:{source}:" + ":".join(_key_part(part) for part in key)


def feed_cache_key(identity: str, version: str) -> str:
    return f"feeds:{RENDER_VERSION}:file:{identity}:{version}"


def _key_part(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return str(value)


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
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    value = icalendar.vCalAddress(f"mailto:{address or 'center@sasaeru.example'}")
    if name:
        value.params["CN"] = name
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
