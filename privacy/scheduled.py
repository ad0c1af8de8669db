"""The scheduled erasure (config/jobs.py, daily; ``manage.py erase_expired``): past each
retention period (privacy.periods), the personal fields of every kind of record are erased
in place (privacy.erase) and one audit entry records the counts.

Idempotent and crash-safe: only rows still holding personal data are touched, each batch
commits with the run's counts, so a second run (or one after a crash) erases what is left and
a run with nothing due writes no row and no entry.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from attendance.models import ImportedAttendee, RosterChange, RosterEntry
from core import audit
from feeds.models import Subscription
from notifications.models import Dispatch
from privacy import erase
from privacy.models import Erasure
from privacy.periods import Cutoffs, cutoffs
from supervision.models import Visit, VisitPostponement
from training.models import Registration

Progress = Callable[[str, int, int], None]
"""``progress(kind_key, erased_so_far, due)``."""

FINISHED = [
    Dispatch.State.SENT,
    Dispatch.State.FAILED,
    Dispatch.State.MISSED,
    Dispatch.State.CANCELLED,
]


def due_querysets(limits: Cutoffs) -> list[tuple[erase.Kind, object]]:
    """Each kind with the rows past its period (pending or already erased)."""
    personal = limits.personal
    still_registered = Registration.objects.filter(email=OuterRef("registrant_email"))
    return [
        (erase.REGISTRATIONS, Registration.objects.filter(event__starts_at__lt=personal)),
        (erase.ROSTER_ENTRIES, RosterEntry.objects.filter(event__starts_at__lt=personal)),
        (
            erase.IMPORTED_ATTENDEES,
            ImportedAttendee.objects.filter(online_import__event__starts_at__lt=personal),
        ),
        (
            erase.ROSTER_CHANGES,
            RosterChange.objects.filter(entry__event__starts_at__lt=personal),
        ),
        (
            erase.DISPATCHES,
            Dispatch.objects.filter(due_at__lt=limits.outbox, state__in=FINISHED),
        ),
        (erase.VISIT_NOTES, Visit.objects.filter(starts_at__lt=limits.visit_notes)),
        (
            erase.POSTPONEMENT_REASONS,
            VisitPostponement.objects.filter(visit__starts_at__lt=limits.visit_notes),
        ),
        # A registrant's calendar link goes with the last registration holding its address.
        (
            erase.REGISTRANT_LINKS,
            Subscription.objects.filter(kind=Subscription.Kind.REGISTRANT).exclude(
                Exists(still_registered)
            ),
        ),
    ]


def count_due(now: dt.datetime | None = None) -> dict[str, int]:
    """What a run would erase now, per kind (``--dry-run``)."""
    return {
        kind.key: queryset.filter(kind.pending).count()
        for kind, queryset in due_querysets(cutoffs(now))
    }


def erase_expired(
    *, now: dt.datetime | None = None, progress: Progress | None = None
) -> Erasure | None:
    """Erase everything past its period; answers the run's row (None when nothing was due)."""
    limits = cutoffs(now)
    run: Erasure | None = None

    def counted(key: str, erased: int) -> None:
        run.counts[key] = run.counts.get(key, 0) + erased
        run.save(update_fields=["counts"])

    for kind, queryset in due_querysets(limits):
        due = queryset.filter(kind.pending).count()
        if not due:
            continue
        if run is None:
            run = Erasure.objects.create(kind=Erasure.Kind.SCHEDULED, cutoffs=limits.as_dict())
        for done in erase.erase(kind, queryset, on_batch=counted):
            if progress is not None:
                progress(kind.key, done, due)
    if run is None:
        return None
    if not run.total:
        # Another run erased these rows between the count and the update: nothing to record.
        run.delete()
        return None
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit.record(run, "privacy.erasure.scheduled", by=None, changes={}, **run.counts)
    return run
