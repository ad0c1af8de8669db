"""The prefecture's own words in the texts of every app (domain guide: one prefecture's words
are its data, never the code's). A text that names the health offices or the kind of prefecture says so with
placeholders, ``%(health_office)s`` and ``%(prefecture_kind)s``, and is filled from the center's
profile when it is shown: 保健所 by default, 福祉保健所 where the profile says so; 都, 道, 府 or
県 from the prefecture. In English the usual words stand.

    label = words(_("%(health_office)s staff"))   # lazy: filled when rendered

The affiliation kinds a form offers are the profile's list (kind and label, in order); the
kinds themselves are registered by the app that stores them (training's ``Audience``), so the
stored values stay the same whatever a center calls them.
"""

from collections.abc import Iterable

from django.db import DatabaseError
from django.utils.functional import lazy
from django.utils.translation import get_language

from core import center

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


def affiliation_label(kind: str) -> str:
    """What this center calls a kind (its profile's label, else the usual one)."""
    own = dict(center.current().affiliations)
    if own.get(kind):
        return own[kind]
    return str(dict(_affiliation_kinds).get(kind, kind))


def affiliation_choices() -> list[tuple[str, str]]:
    """The kinds this center's forms offer, in its order and words."""
    usual = dict(_affiliation_kinds)
    own = [(kind, label) for kind, label in center.current().affiliations if kind in usual]
    if not own:
        return [
            (kind, str(label))
            for kind, label in _affiliation_kinds
            if kind not in NOT_OFFERED_BY_DEFAULT
        ]
    return [(kind, label or str(usual[kind])) for kind, label in own]
