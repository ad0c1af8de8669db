"""Secret links at polling speed: which link a token is, and counting its fetches, without a
database round trip on most polls (README "Calendar feeds").

- A live municipality, block or registrant link is kept in the ``feeds`` cache (Redis when
  ``REDIS_URL`` is set) by its token's hash for ``LINK_SECONDS``. Such a link dies only by
  revocation, which goes through ``feeds.services.revoke_subscription``: it deletes the entry, so
  the link answers 404 from the next request on. A staff member's own link is never kept: it
  dies with the person's account or role (``SubscriptionQuerySet.live``), which is checked on
  every fetch.
- Fetches are counted in the process, added to a shared count in the cache at most once per
  link and process per ``FEEDS_FETCH_FLUSH_SECONDS`` (on a fetch after that window), and
  written in one UPDATE per link at most once per window, by the fetch that opens the shared
  window. So an unchanged poll makes one cache round trip (is the link live?), and the
  database's count and last fetch time lag by at most two windows while a link is polled. A
  web worker that stops hands its counts to the cache (``share_pending``, gunicorn's
  ``worker_exit``); they, and the fetches of a link's last window, wait there for its next
  fetch. A worker killed outright loses its counts of at most one window, a cache that
  restarts those of at most two. The UPDATE also checks that the link is still live (a row
  revoked or deleted other than through the service), so a kept entry is dropped within a
  window or two. On PostgreSQL it commits without waiting for the disk (``synchronous_commit``
  off: a crash can lose the last fraction of a second of counts, never anything else).
"""

import contextlib
import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.tokens import hash_token, new_token
from feeds.calendars import Scope
from feeds.ical import feed_cache
from feeds.models import Subscription

LINK_SECONDS = 10 * 60
# How long this process trusts what it knows of links before it asks the cache whether any
# link has been revoked since (one read for all links): a link revoked in another process dies
# here within this time.
REVOCATION_CHECK_SECONDS = 0.1
EPOCH_KEY = "feeds:revocations"
# Fetches this process has counted and not yet added to the shared count, and when it next
# adds them, by link pk.
_pending: Counter[int] = Counter()
_flush_due: dict[int, float] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Link:
    pk: int
    token_hash: str
    scope: Scope


class KnownLinks:
    """The live links this process has seen, by token hash, each for ``LINK_SECONDS``, all
    forgotten when the shared revocation epoch moves (``forget``, in any process)."""

    def __init__(self, size: int = 50_000):
        self.size = size
        self.links: dict[str, tuple[Link, float]] = {}
        self.epoch: object = None
        self.checked_at = 0.0

    def get(self, token_hash: str, now: float) -> Link | None:
        if now - self.checked_at >= REVOCATION_CHECK_SECONDS:
            epoch = feed_cache().get(EPOCH_KEY)
            if epoch != self.epoch:
                self.links = {}
                self.epoch = epoch
            self.checked_at = now
        kept = self.links.get(token_hash)
        return kept[0] if kept is not None and now < kept[1] else None

    def put(self, link: Link, now: float) -> None:
        if len(self.links) >= self.size:
            self.links = {}
        self.links[link.token_hash] = (link, now + LINK_SECONDS)

    def clear(self) -> None:
        self.links = {}
        self.checked_at = 0.0


known = KnownLinks()


def link_key(token_hash: str) -> str:
    return f"feeds:link:{token_hash}"


def forget(token_hash: str) -> None:
    """A link is dead: drop its cache entry and move the revocation epoch, so that every
    process forgets what it knew of links (at once, and again when the current transaction
    commits, so that no fetch in between keeps the old state)."""

    def drop():
        cache = feed_cache()
        cache.delete(link_key(token_hash))
        cache.set(EPOCH_KEY, new_token(), None)
        known.clear()

    drop()
    transaction.on_commit(drop)


def live_link(raw: str) -> Link | None:
    """The live link with this token, or None. A municipality, block or registrant link is
    known to this process (``known``), else kept in the cache, else read from the database; a
    staff member's own link is read from the database on every fetch."""
    token_hash = hash_token(raw)
    now = time.monotonic()
    link = known.get(token_hash, now)
    if link is not None:
        return link
    cache = feed_cache()
    link = cache.get(link_key(token_hash))
    if link is None:
        row = Subscription.objects.live().filter(token_hash=token_hash).first()
        if row is None:
            return None
        scope = Scope(
            kind=row.kind,
            municipality_id=row.municipality_id,
            block_id=row.block_id,
            user_id=row.user_id,
            registrant_email=row.registrant_email,
        )
        link = Link(pk=row.pk, token_hash=token_hash, scope=scope)
        if row.kind == Subscription.Kind.STAFF:
            return link
        cache.set(link_key(token_hash), link, LINK_SECONDS)
    known.put(link, now)
    return link


def record_fetch(link: Link) -> bool:
    """Count one fetch. False when the UPDATE found the link no longer live."""
    window = settings.FEEDS_FETCH_FLUSH_SECONDS
    if window <= 0:
        return _write(link, 1)
    now = time.time()
    with _lock:
        _pending[link.pk] += 1
        if now < _flush_due.get(link.pk, 0.0):
            return True
        _flush_due[link.pk] = now + window
        count = _pending.pop(link.pk)
    _share(link.pk, count)
    gate = f"feeds:flushed:{link.pk}"
    cache = feed_cache()
    if not cache.add(gate, now + window, timeout=window):
        return True  # another fetch (maybe in another process) opened this window
    total = cache.get(hits_key(link.pk)) or 0
    if total:
        with contextlib.suppress(ValueError):  # evicted in between: count what was read
            cache.decr(hits_key(link.pk), total)
    return _write(link, total)


def share_pending() -> None:
    """Hand every count this process holds to the shared cache (a web worker that stops:
    deploy/gunicorn.conf.py ``worker_exit``); the next fetch that opens a window writes them."""
    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _flush_due.clear()
    for pk, count in pending.items():
        _share(pk, count)


def hits_key(pk: int) -> str:
    return f"feeds:hits:{pk}"


def _share(pk: int, count: int) -> None:
    cache = feed_cache()
    try:
        cache.incr(hits_key(pk), count)
    except ValueError:
        if not cache.add(hits_key(pk), count, timeout=None):
            cache.incr(hits_key(pk), count)


def _write(link: Link, count: int) -> bool:
    rows = Subscription.objects.live().filter(pk=link.pk)
    changes = {"access_count": F("access_count") + count, "last_accessed_at": timezone.now()}
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Its own transaction, which alone commits without waiting for the disk.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            written = rows.update(**changes)
    else:
        written = rows.update(**changes)
    if not written:
        forget(link.token_hash)
    return bool(written)
