"""The prefecture as a picture: a server-side SVG of its municipalities placed by the
latitude and longitude of their offices (from the official list), each a dot colored by its
state and linking to its target page. No tiles, no script: the page includes
``supervision/_prefecture_map.html``, which also lists every municipality for screen readers.
"""

import math
from dataclasses import dataclass

from django.urls import reverse

from directory.models import Municipality

WIDTH = 560
PADDING = 28


@dataclass(frozen=True)
class MapPoint:
    name: str
    state: str  # a CSS class: held / without, or done / scheduled / at-risk ...
    label: str  # the state in words, for the title and the list
    url: str
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class PrefectureMap:
    points: list[MapPoint]
    width: int
    height: int
    legend: list[tuple[str, str]]  # (state, label)
    labels: bool  # names beside the dots (few municipalities)


def place(points: list[tuple[Municipality, str, str, str]], legend) -> PrefectureMap | None:
    """(municipality, state, label, url) → a map; None when no municipality has a location."""
    located = [p for p in points if p[0].latitude is not None and p[0].longitude is not None]
    if not located:
        return None
    lats = [m.latitude for m, *_rest in located]
    lons = [m.longitude for m, *_rest in located]
    # Equirectangular, shrunk east-west by the cosine of the middle latitude: right for the
    # size of a prefecture.
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * shrink, 0.01)
    span_y = max(max(lats) - min(lats), 0.01)
    scale = (WIDTH - 2 * PADDING) / max(span_x, span_y * 0.8)
    height = round(span_y * scale + 2 * PADDING)
    width = round(span_x * scale + 2 * PADDING)
    placed = [
        MapPoint(
            name=m.name,
            state=state,
            label=label,
            url=url,
            x=round(PADDING + (m.longitude - min(lons)) * shrink * scale, 1),
            y=round(PADDING + (max(lats) - m.latitude) * scale, 1),
        )
        for m, state, label, url in located
    ]
    return PrefectureMap(
        points=placed, width=width, height=height, legend=legend, labels=len(placed) <= 60
    )


def case_meeting_map(goal, viewer) -> PrefectureMap | None:
    """The case-meeting goal's municipalities: held one this fiscal year or not. A municipality
    links to its target's page only where ``viewer`` may open it (a plain name elsewhere)."""
    from django.utils.translation import gettext as _

    from supervision.models import Target

    held_label, without_label = _("case meeting held"), _("no case meeting yet")
    municipalities = [(m, "held", held_label) for m in goal.held] + [
        (m, "without", without_label) for m in goal.without
    ]
    targets = dict(
        Target.objects.visible_to(viewer)
        .filter(municipality__in=[m.pk for m, *_rest in municipalities])
        .values_list("municipality_id", "pk")
    )
    points = [
        (
            m,
            state,
            label,
            reverse("supervision:target", args=[targets[m.pk]]) if m.pk in targets else "",
        )
        for m, state, label in sorted(municipalities, key=lambda row: (row[0].order, row[0].pk))
    ]
    return place(points, legend=[("held", held_label), ("without", without_label)])


def progress_map(*, fiscal_year: int, as_of) -> PrefectureMap | None:
    """The municipalities colored by their visit progress as of ``as_of``: done, on track, at
    risk, or no plan this fiscal year ("2 / 5" in the title and the list)."""
    from django.utils.translation import gettext as _

    from supervision.queries import progress

    labels = {
        "done": _("all planned visits done"),
        "on-track": _("on track"),
        "at-risk": _("at risk"),
        "no-plan": _("no plan this year"),
    }
    rows = {row.target_id: row for row in progress(fiscal_year=fiscal_year, as_of=as_of)}
    points = []
    for municipality in Municipality.objects.current().select_related("supervision_target"):
        target = getattr(municipality, "supervision_target", None)
        row = rows.get(target.pk) if target else None
        if row is None:
            state, label = "no-plan", labels["no-plan"]
        else:
            state = "done" if row.done >= row.planned else "at-risk" if row.at_risk else "on-track"
            label = f"{labels[state]} ({row.done} / {row.planned})"
        url = reverse("supervision:target", args=[target.pk]) if target else ""
        points.append((municipality, state, label, url))
    return place(points, legend=list(labels.items()))
