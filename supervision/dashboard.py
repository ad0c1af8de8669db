"""The rows of the supervision dashboard: every target the user may see in a fiscal year, with
a plan («2 / 5», from ``queries.progress``) or without one (so a target nobody planned is not
invisible), at-risk first, counted per state for the filter, and cut into pages.

Why pages: at national scale (1,741 targets) one page of every row is ~1 MB of HTML and most
of the dashboard's time goes to rendering rows nobody reads; the progress itself is computed
for every target (the order and the counts need all of them), and only one page of rows is
rendered. Four queries whatever the number of targets (plans, visit counts, earlier visits
from ``progress``, plus the targets without a plan and their counts in one)."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.urls import reverse
from django.utils.translation import ngettext

from core.fiscal import TOKYO, fiscal_year_bounds
from supervision.models import Plan, Target, Visit
from supervision.queries import TargetProgress, progress

PAGE_SIZE = 50

AT_RISK, ON_TRACK, UNPLANNED = "at_risk", "on_track", "unplanned"
STATES = (AT_RISK, ON_TRACK, UNPLANNED)
ALL = "all"  # every target; without a state the list leaves out those without a plan


@dataclass(slots=True)
class TargetRow:
    """One line of the dashboard: the target's progress, or its visits without a plan."""

    target_id: int
    name: str
    order: tuple
    state: str
    progress: TargetProgress | None = None
    done: int = 0
    scheduled: int = 0
    # Filled for the rows of the page only (rendering them is most of the page's cost).
    url: str = ""
    days_ago: str = ""

    @property
    def planned(self) -> int | None:
        return self.progress.planned if self.progress else None


@dataclass(frozen=True)
class DashboardRows:
    page: Page
    counts: dict[str, int]
    total: int
    state: str


def _unplanned(*, fiscal_year: int, as_of: dt.date, targets) -> list[TargetRow]:
    """The targets without a plan in the fiscal year, with their visits done and scheduled
    (a visit may happen without a plan). One query."""
    start, end = fiscal_year_bounds(fiscal_year)
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TOKYO)
    in_year = Q(visits__starts_at__gte=start, visits__starts_at__lt=end)
    rows = (
        targets.exclude(Exists(Plan.objects.filter(target=OuterRef("pk"), fiscal_year=fiscal_year)))
        .with_names()
        .annotate(
            done=Count(
                "visits",
                filter=in_year & Q(visits__status=Visit.Status.DONE, visits__starts_at__lt=cutoff),
            ),
            scheduled=Count(
                "visits",
                filter=in_year
                & Q(visits__starts_at__gte=cutoff)
                & ~Q(visits__status=Visit.Status.CANCELLED),
            ),
        )
        .order_by()
    )
    kind_order = {kind: index for index, kind in enumerate(Target.Kind.values)}
    result = []
    for target in rows:
        subject = target.municipality or target.district
        name = target.name
        result.append(
            TargetRow(
                target_id=target.pk,
                name=name,
                order=(kind_order[target.kind], getattr(subject, "order", 0), name),
                state=UNPLANNED,
                done=target.done,
                scheduled=target.scheduled,
            )
        )
    return result


def target_rows(
    *, fiscal_year: int, as_of: dt.date, targets, state: str = "", page: int | str = 1
) -> DashboardRows:
    """Every target in ``targets`` (a queryset: what the user may see, the filters) for the
    fiscal year as of ``as_of``: at risk first, then on track, then those without a plan; the
    count of each state; the rows of ``state`` on page ``page`` (``"all"``: every row; empty:
    the planned ones, those without a plan behind their count)."""
    planned = [
        TargetRow(
            target_id=item.target_id,
            name=item.name,
            order=item.order,
            state=AT_RISK if item.at_risk else ON_TRACK,
            progress=item,
            done=item.done,
            scheduled=item.scheduled,
        )
        for item in progress(fiscal_year=fiscal_year, as_of=as_of, targets=targets)
    ]
    rows = planned + _unplanned(fiscal_year=fiscal_year, as_of=as_of, targets=targets)
    rank = {name: index for index, name in enumerate(STATES)}
    rows.sort(key=lambda row: (rank[row.state], row.order))
    counts = {name: 0 for name in STATES}
    for row in rows:
        counts[row.state] += 1
    state = state if state in (*STATES, ALL) else ""
    if state == ALL:
        shown = rows
    elif state:
        shown = [row for row in rows if row.state == state]
    else:
        # Today's work first: the targets without a plan wait behind their count.
        shown = [row for row in rows if row.state != UNPLANNED]
    page = Paginator(shown, PAGE_SIZE).get_page(page)
    for row in page:
        row.url = f"{reverse('supervision:target', args=[row.target_id])}?fy={fiscal_year}"
        days = row.progress.days_since_last_done if row.progress else None
        if days is not None:
            row.days_ago = ngettext("%(count)d day ago", "%(count)d days ago", days) % {
                "count": days
            }
    return DashboardRows(
        page=page,
        counts=counts,
        total=len(rows),
        state=state,
    )


# The dashboard's visit lists on a phone-length page (issue #21): the first few, then
# 「さらに n 件」 (to record: the whole list on the dashboard itself; next: the planning calendar).
TO_RECORD_SHOWN = 3
TO_RECORD_ALL = 100
UPCOMING_SHOWN = 3


@dataclass(slots=True)
class VisitList:
    visits: list
    more: int  # how many more there are than shown


def first_visits(queryset, limit: int) -> VisitList:
    """The first ``limit`` visits of the ordered queryset and how many more there are: one
    query (the total is a window count over the whole set, on every row)."""
    visits = list(queryset.annotate(total=Window(Count("pk")))[:limit])
    return VisitList(visits=visits, more=visits[0].total - len(visits) if visits else 0)
