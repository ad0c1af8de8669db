"""Secret links at polling speed: which link a token is, and counting its fetches, without a
database round trip on most polls (README "Calendar feeds").

- A live municipality, block or registrant link is kept in the ``feeds`` cache (Redis when
  ``REDIS_URL`` is set) by its token's hash for ``LINK_SECONDS``. Such a link dies only by
  revocation, which goes through ``feeds.services.revoke_subscription``: it deletes the entry, so
  the link answers 404 from the next request on. A staff member's own link is never kept: it
  dies with the person's account or role (``SubscriptionQuerySet.live``), which is checked on
  every fetch.
- Fetches are added up in the cache and written in one UPDATE per link at most once per
  ``FEEDS_FETCH_FLUSH_SECONDS``, by the first fetch after that window (the fetch itself
  included). So the database's count and last fetch time lag by at most that window while a
  link is polled; the fetches of a link's last window wait in the cache for its next fetch (a
  cache that restarts loses at most that window). The UPDATE also checks that the link is still
  live (a row revoked or deleted other than through the service), so a kept entry is dropped
  within one window. On PostgreSQL it commits without waiting for the disk
  (``synchronous_commit`` off: a crash can lose the last fraction of a second of counts, never
  anything else).
"""

import contextlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.tokens import hash_token
from feeds.calendars import Scope
from feeds.ical import feed_cache
from feeds.models import Subscription

LINK_SECONDS = 10 * 60
# When this process next asks the shared cache whether a link's window has ended (by token
# hash): saves a cache round trip on most polls; the shared gate still decides.
_flush_due: dict[str, float] = {}


@dataclass(frozen=True)
class Link:
    pk: int
    token_hash: str
    scope: Scope


def link_key(token_hash: str) -> str:
    return f"feeds:link:{token_hash}"


def forget(token_hash: str) -> None:
    """Drop a link's cache entry (at once, and again when the current transaction commits, so
    that no fetch in between keeps the old state)."""
    feed_cache().delete(link_key(token_hash))
    transaction.on_commit(lambda: feed_cache().delete(link_key(token_hash)))


def live_link(raw: str) -> Link | None:
    """The live link with this token, or None."""
    token_hash = hash_token(raw)
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
        if row.kind != Subscription.Kind.STAFF:
            cache.set(link_key(token_hash), link, LINK_SECONDS)
    return link


def record_fetch(link: Link) -> bool:
    """Count one fetch. False when the UPDATE found the link no longer live."""
    window = settings.FEEDS_FETCH_FLUSH_SECONDS
    if window <= 0:
        return _write(link, 1)
    cache = feed_cache()
    hits = f"feeds:hits:{link.pk}"
    try:
        cache.incr(hits)
    except ValueError:
        if not cache.add(hits, 1, timeout=None):
            cache.incr(hits)
    now = time.time()
    if now < _flush_due.get(link.token_hash, 0.0):
        return True
    gate = f"feeds:flushed:{link.pk}"
    if not cache.add(gate, now + window, timeout=window):
        # Another fetch (maybe in another process) opened this window: ask again when it ends.
        _flush_due[link.token_hash] = cache.get(gate) or 0.0
        return True
    _flush_due[link.token_hash] = now + window
    count = cache.get(hits) or 0
    if count:
        with contextlib.suppress(ValueError):  # evicted in between: count what was read
            cache.decr(hits, count)
    return _write(link, count)


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
        feed_cache().delete(link_key(link.token_hash))
    return bool(written)
