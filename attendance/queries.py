"""Attendance counts, shared by the staff pages, the API and the fiscal-year report.

Counts are computed from roster rows (present, late and left early count as attended), never
stored. ``scope`` is a set of municipality ids (health-office and municipal staff count only
people from their municipalities) or None for everyone; counts never carry names.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from attendance.models import AFFILIATION_CHOICES, RosterEntry, walk_in_choices, walk_in_label
from directory.models import Block, District, Municipality
from training.models import Event


@dataclass(frozen=True)
class Bucket:
    key: str | int | None
    label: str
    count: int


@dataclass(frozen=True)
class Counts:
    attended: int
    by_status: list[Bucket]
    by_affiliation: list[Bucket]
    by_municipality: list[Bucket]
    by_district: list[Bucket]
    by_block: list[Bucket]
    without_municipality: int


@dataclass(frozen=True)
class EventCount:
    event: Event
    attended: int


@dataclass(frozen=True)
class FiscalYearCounts:
    fiscal_year: int
    events: list[EventCount]
    by_kind: list[Bucket]
    totals: Counts = field(repr=False)


def _scoped(entries, scope: set[int] | None):
    return entries if scope is None else entries.filter(municipality_id__in=scope)


def _affiliation_order(counted: dict) -> list[str]:
    """The counted kinds in the order the forms offer them, then the usual kinds, then any other
    (a kind of the center's own no longer offered): every counted kind once."""
    order = [kind for kind, _label in walk_in_choices()]
    order += [kind for kind, _label in AFFILIATION_CHOICES if kind not in order]
    order += sorted(kind for kind in counted if kind not in order)
    return [kind for kind in order if counted.get(kind)]


def attendance_counts(entries, scope: set[int] | None = None) -> Counts:
    """Counts of the given roster rows: attended, and the attended by affiliation type,
    municipality, district and block (districts and blocks listed even at zero). Three queries
    whatever the number of rows."""
    entries = _scoped(entries, scope)
    statuses = dict(entries.values_list("status").annotate(n=Count("id")).order_by())
    rows = list(
        entries.attended()
        .values_list("affiliation_type", "municipality_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    municipalities = Municipality.objects.select_related("district", "block")
    if scope is not None:
        municipalities = municipalities.filter(id__in=scope)
    municipalities = list(municipalities)

    by_affiliation, by_municipality = {}, {}
    for affiliation, municipality_id, n in rows:
        by_affiliation[affiliation] = by_affiliation.get(affiliation, 0) + n
        by_municipality[municipality_id] = by_municipality.get(municipality_id, 0) + n
    by_district: dict[int, int] = {}
    by_block: dict[int, int] = {}
    districts: dict[int, District] = {}
    blocks: dict[int, Block] = {}
    for m in municipalities:  # one without a district or block (not imported yet) has none
        n = by_municipality.get(m.id, 0)
        if m.district_id is not None:
            districts[m.district_id] = m.district
            by_district[m.district_id] = by_district.get(m.district_id, 0) + n
        if m.block_id is not None:
            blocks[m.block_id] = m.block
            by_block[m.block_id] = by_block.get(m.block_id, 0) + n

    return Counts(
        attended=sum(n for *_, n in rows),
        by_status=[
            Bucket(value, str(label), statuses.get(value, 0))
            for value, label in RosterEntry.Status.choices
        ],
        by_affiliation=[
            Bucket(value, walk_in_label(value), by_affiliation[value])
            for value in _affiliation_order(by_affiliation)
        ],
        by_municipality=[
            Bucket(m.id, m.name, by_municipality[m.id])
            for m in municipalities
            if by_municipality.get(m.id)
        ],
        by_district=[
            Bucket(d.id, d.name, by_district[d.id])
            for d in sorted(districts.values(), key=lambda d: (d.order, d.id))
        ],
        by_block=[
            Bucket(b.id, b.name, by_block[b.id])
            for b in sorted(blocks.values(), key=lambda b: (b.order, b.id))
        ],
        without_municipality=by_municipality.get(None, 0),
    )


def event_counts(event: Event, scope: set[int] | None = None) -> Counts:
    return attendance_counts(RosterEntry.objects.filter(event=event), scope)


def events_with_attended(events, scope: set[int] | None = None):
    """Annotate ``attended`` (people of the scope who attended) on an Event queryset."""
    condition = Q(roster_entries__status__in=RosterEntry.ATTENDED)
    if scope is not None:
        condition &= Q(roster_entries__municipality_id__in=scope)
    return events.annotate(attended=Count("roster_entries", filter=condition))


def fiscal_year_counts(fiscal_year: int, scope: set[int] | None = None) -> FiscalYearCounts:
    """Every event of the fiscal year (not cancelled) with its attended count, the sums per kind
    of event, and the year's breakdowns across all events."""
    events = Event.objects.in_fiscal_year(fiscal_year).not_cancelled()
    listed = list(events_with_attended(events, scope).order_by("starts_at", "id"))
    kinds: dict[str, int] = {}
    for event in listed:
        kinds[event.kind] = kinds.get(event.kind, 0) + event.attended
    return FiscalYearCounts(
        fiscal_year=fiscal_year,
        events=[EventCount(event, event.attended) for event in listed],
        by_kind=[
            Bucket(value, str(label), kinds[value])
            for value, label in Event.Kind.choices
            if value in kinds
        ],
        totals=attendance_counts(RosterEntry.objects.filter(event__in=events), scope),
    )
