"""Secret links at polling speed: which link a token is, and counting its fetches, without a
database round trip on most polls (docs/apps.md, "Polling at scale").

- A live link is kept in the ``feeds`` cache (Redis when ``REDIS_URL`` is set; local memory
  on the embedded default, the same code) by its token's hash for ``LINK_SECONDS``, and known to
  each process that served it. A link dies by revocation, which goes through
  ``feeds.services.revoke_subscription``: it deletes the entry, so the link answers 404 from the
  next request on. A staff member's own link also dies with the person's account or role
  (``SubscriptionQuerySet.live``), which is checked on every fetch of it by one small prepared
  query on the person's row (``person_is_live``), so it costs that one query and no more.
- Fetches are counted in the process and written at most once per ``FEEDS_FETCH_FLUSH_SECONDS``
  per process, all links at once in one UPDATE (``write_counts``), by the first fetch after
  that window. So an unchanged poll makes no database round trip, and the database's count and
  last fetch time lag by at most one window while links are polled; the counts of a process's
  last window wait for its next fetch, or for the worker to stop (gunicorn's ``worker_exit``
  writes them). A worker killed outright loses its counts of at most one window. The UPDATE
  also checks that each link is still live (a row revoked or deleted other than through the
  service): one that is not is forgotten, and the fetch that triggered the write answers 404
  if it was its own. On PostgreSQL it commits without waiting for the disk
  (``synchronous_commit`` off: a crash can lose the last fraction of a second of counts, never
  anything else).
"""

import functools
import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
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
    """The live link with this token, or None. A link is known to this process (``known``),
    else kept in the cache, else read from the database; a staff member's own link also asks
    the database whether its person is still live, on every fetch (one query)."""
    link = _known_link(hash_token(raw))
    if link is not None and link.scope.kind == Subscription.Kind.STAFF:
        return link if person_is_live(link.scope.user_id) else None
    return link


@functools.cache
def _person_statement() -> str:
    """The statement of ``person_is_live``, written once per process from the model's names:
    the ORM's query building costs more than the query (bench/feeds.py)."""
    user = Subscription._meta.get_field("user").related_model
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(user._meta.get_field(name).column)

    return (
        f"SELECT 1 FROM {quote(user._meta.db_table)} WHERE {column('id')} = %s "
        f"AND {column('is_active')} = %s AND ({column('role')} <> %s OR {column('is_superuser')} = %s)"
    )


def person_is_live(user_id: int) -> bool:
    """Whether a staff member's own link still answers: the person's account is active and
    has a role (or is a superuser), as ``SubscriptionQuerySet.live`` says it."""
    with connection.cursor() as cursor:
        cursor.execute(_person_statement(), [user_id, True, "", True])
        return cursor.fetchone() is not None


def _known_link(token_hash: str) -> Link | None:
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
            district_id=row.district_id,
            user_id=row.user_id,
            registrant_email=row.registrant_email,
        )
        link = Link(pk=row.pk, token_hash=token_hash, scope=scope)
        cache.set(link_key(token_hash), link, LINK_SECONDS)
    known.put(link, now)
    return link


class PendingFetches:
    """The fetches this process has counted and not yet written, by link pk (with the links'
    token hashes, to forget a link the write finds dead), and when it next writes them."""

    def __init__(self):
        self.counts: Counter[int] = Counter()
        self.hashes: dict[int, str] = {}
        self.next_write = 0.0
        self.lock = threading.Lock()

    def add(self, link: Link, now: float, window: float) -> bool:
        """Count a fetch; True when the window has ended and the counts are to be written."""
        with self.lock:
            self.counts[link.pk] += 1
            self.hashes[link.pk] = link.token_hash
            if now < self.next_write:
                return False
            self.next_write = now + window
            return True

    def take(self) -> tuple[dict[int, int], dict[int, str]]:
        with self.lock:
            counts, hashes = dict(self.counts), dict(self.hashes)
            self.counts.clear()
            self.hashes.clear()
        return counts, hashes

    def clear(self) -> None:
        self.take()
        self.next_write = 0.0


pending = PendingFetches()


def record_fetch(link: Link) -> bool:
    """Count one fetch. False when the write it triggered found the link no longer live."""
    window = settings.FEEDS_FETCH_FLUSH_SECONDS
    if window <= 0:
        return link.pk in write_counts({link.pk: 1}, {link.pk: link.token_hash})
    if not pending.add(link, time.time(), window):
        return True
    return link.pk in write_counts(*pending.take())


def write_pending() -> None:
    """Write every count this process holds (a web worker that stops: gunicorn's
    ``worker_exit`` in deploy/gunicorn.conf.py)."""
    write_counts(*pending.take())


def write_counts(counts: dict[int, int], hashes: dict[int, str]) -> set[int]:
    """Add fetch counts (by link pk) in one UPDATE of the links still live; forget the others
    (revoked or deleted other than through the service). The pks still live."""
    if not counts:
        return set()
    by_count: dict[int, list[int]] = {}
    for pk, count in counts.items():
        by_count.setdefault(count, []).append(pk)
    added = Case(*(When(pk__in=pks, then=Value(n)) for n, pks in by_count.items()), default=0)
    rows = Subscription.objects.live().filter(pk__in=counts)
    changes = {"access_count": F("access_count") + added, "last_accessed_at": timezone.now()}
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Its own transaction, which alone commits without waiting for the disk.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            written = rows.update(**changes)
    else:
        written = rows.update(**changes)
    if written == len(counts):
        return set(counts)
    live = set(rows.values_list("pk", flat=True))
    for pk in counts.keys() - live:
        forget(hashes[pk])
    return live
