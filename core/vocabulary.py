"""The prefecture's own words in the texts of every app (domain guide: one prefecture's words
are its data, never the code's). A text that names the health offices or the kind of prefecture says so with
placeholders, ``%(health_office)s`` and ``%(prefecture_kind)s``, and is filled from the center's
profile when it is shown: 保健所 by default, 福祉保健所 where the profile says so; 都, 道, 府 or
県 from the prefecture. In English the usual words stand.

    label = words(_("%(health_office)s staff"))   # lazy: filled when rendered

The affiliation kinds a form offers are the profile's list (kind and label, in order). The usual
kinds are registered by the app that stores them (training's ``Audience``), so the stored
values stay the same whatever a center calls them. A center may add kinds of its own (a line
``+ 地域包括支援センター職員`` on the profile page): each gets a key ``own_N`` that is never reused
and its label is kept in the profile's ``own_affiliations`` even after it is taken off the list,
so rows stored with it keep their value, are counted under it and still show its label; only
the forms stop offering it. Limits: ``core.inputs.MAX_AFFILIATION_KINDS``,
``MAX_OWN_AFFILIATION_KINDS``, ``AFFILIATION_LABEL_LENGTH``.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import center
from core.inputs import (
    AFFILIATION_LABEL_LENGTH,
    MAX_AFFILIATION_KINDS,
    MAX_OWN_AFFILIATION_KINDS,
    bad_character,
)

_affiliation_kinds: list[tuple[str, object]] = []
# Kinds a new center's forms do not offer unless its profile lists them (a program of one
# prefecture, such as a community-center network).
NOT_OFFERED_BY_DEFAULT = {"community_center"}


def _japanese() -> bool:
    return (get_language() or "").startswith("ja")  # none active (commands): the msgids


def current_words() -> dict[str, str]:
    if not _japanese():
        return {"health_office": "health office", "prefecture_kind": "prefecture"}
    try:
        profile = center.current()
    except DatabaseError:  # the system checks before the first migrate: the defaults
        profile = center.Center()
    return {"health_office": profile.health_office, "prefecture_kind": profile.prefecture_kind}


def fill(text) -> str:
    text = str(text)
    return text % current_words() if "%(" in text else text


words = lazy(fill, str)


def register_affiliation_kinds(choices: Iterable[tuple[str, object]]) -> None:
    """Called once by the app that stores affiliation kinds (training)."""
    _affiliation_kinds[:] = list(choices)


def affiliation_kinds() -> list[tuple[str, object]]:
    """Every kind that can be stored, with its usual label."""
    return list(_affiliation_kinds)


OWN_PREFIX = "own_"
NEW = ("+", "＋")  # a line "+ label" on the profile page adds a kind of the center's own


def own_kinds() -> dict[str, str]:
    """Every kind this center has added (offered or not), with its label."""
    return dict(center.current().own_affiliations)


def is_affiliation_kind(kind: str) -> bool:
    """Whether a row may store this kind: a usual one or one the center has added (also after
    it was taken off the list, so rows and events that carry it stay valid)."""
    return kind in dict(_affiliation_kinds) or kind in own_kinds()


def affiliation_label(kind: str) -> str:
    """What this center calls a kind (its profile's label, else the usual one)."""
    profile = center.current()
    own = dict(profile.affiliations)
    if own.get(kind):
        return own[kind]
    added = dict(profile.own_affiliations)
    if kind in added:
        return added[kind]
    return str(dict(_affiliation_kinds).get(kind, kind))


def affiliation_choices() -> list[tuple[str, str]]:
    """The kinds this center's forms offer, in its order and words."""
    usual = dict(_affiliation_kinds)
    profile = center.current()
    added = dict(profile.own_affiliations)
    own = [(kind, label) for kind, label in profile.affiliations if kind in usual or kind in added]
    if not own:
        return [
            (kind, str(label))
            for kind, label in _affiliation_kinds
            if kind not in NOT_OFFERED_BY_DEFAULT
        ]
    return [(kind, label or str(usual.get(kind) or added[kind])) for kind, label in own]


def resolve_affiliations(pairs: Iterable, own: Iterable) -> tuple[list[list[str]], list[list[str]]]:
    """The profile's list as staff wrote it ([kind, label] pairs, in order; kind ``+`` for a
    new kind of the center's own) and its kinds so far → (the list to store, every own kind
    with its label). A relabelled own kind keeps its key; one left out keeps its key and label.
    Raises a ValidationError on ``affiliations`` naming what is wrong, storing nothing."""
    usual = dict(_affiliation_kinds)
    added = {kind: label for kind, label in own}
    number = max(
        (int(k[len(OWN_PREFIX) :]) for k in added if k[len(OWN_PREFIX) :].isdigit()), default=0
    )
    offered, seen, unknown, problems = [], set(), [], []
    for kind, label in pairs:
        kind, label = kind.strip(), label.strip()
        if len(label) > AFFILIATION_LABEL_LENGTH or bad_character(label):
            problems.append(
                _("A label may have at most %(n)d characters on one line: %(label)s")
                % {"n": AFFILIATION_LABEL_LENGTH, "label": label[:AFFILIATION_LABEL_LENGTH]}
            )
            continue
        if kind in NEW:
            if not label:
                problems.append(_("A new kind needs a label (+ 地域包括支援センター職員)."))
                continue
            same = [k for k, text in added.items() if text == label]
            if same:  # the same words again: the kind already added
                kind = same[0]
            else:
                number += 1
                kind = f"{OWN_PREFIX}{number}"
                added[kind] = label
            label = ""  # the own kind's label lives with the kind
        elif kind in added:
            if label:
                added[kind] = label
            label = ""  # the own kind's label lives with the kind
        elif kind not in usual:
            unknown.append(kind)
            continue
        if kind not in seen:
            offered.append([kind, label])
            seen.add(kind)
    if unknown:
        problems.append(_("Unknown kind: %(kinds)s.") % {"kinds": "、".join(unknown)})
    if len(offered) > MAX_AFFILIATION_KINDS:
        problems.append(_("At most %(n)d kinds can be offered.") % {"n": MAX_AFFILIATION_KINDS})
    if len(added) > MAX_OWN_AFFILIATION_KINDS:
        problems.append(
            _("At most %(n)d kinds of the center's own can be added.")
            % {"n": MAX_OWN_AFFILIATION_KINDS}
        )
    if problems:
        raise ValidationError({"affiliations": problems})
    return offered, [[kind, label] for kind, label in added.items()]
