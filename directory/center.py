"""The center's profile behind ``core.center.current()``: read from the one ``CenterProfile``
row and kept in memory for ``CENTER_PROFILE_SECONDS`` (default 60), so a page or an email does
not pay a query for it. A change through ``update_profile`` is seen at once by the process that
made it and within that time by the others."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, vocabulary
from core.center import Center
from directory import sources
from directory.models import CenterProfile

EDITABLE_FIELDS = (
    "prefecture",
    "name",
    "short_name",
    "phone",
    "fax",
    "email",
    "address",
    "sections",
    "require_second_factor",
    "health_office_name",
    "affiliations",
    "goal_fiscal_year",
    "goal_share",
    "goal_wording",
)

AUDITED = (*EDITABLE_FIELDS, "prefecture_code", "own_affiliations")

_cached: tuple[float, Center] | None = None


def as_center(profile: CenterProfile | None) -> Center:
    if profile is None:
        return Center()
    return Center(
        name=profile.name,
        short_name=profile.short_name or profile.name,
        prefecture=profile.prefecture,
        phone=profile.phone,
        fax=profile.fax,
        email=profile.email,
        address=profile.address,
        sections=profile.section_names(),
        require_second_factor=profile.require_second_factor,
        health_office=profile.health_office_name or "保健所",
        affiliations=tuple(tuple(pair) for pair in profile.affiliation_pairs()),
        own_affiliations=tuple(profile.own_affiliation_pairs()),
        goal_fiscal_year=profile.goal_fiscal_year,
        goal_share=profile.goal_share,
        goal_wording=profile.goal_wording,
    )


def current_center() -> Center:
    """The provider registered with ``core.center`` (DirectoryConfig.ready)."""
    global _cached
    seconds = getattr(settings, "CENTER_PROFILE_SECONDS", 60)
    now = time.monotonic()
    if _cached is not None and (seconds is None or now - _cached[0] < seconds):
        return _cached[1]
    value = as_center(CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).first())
    _cached = (now, value)
    return value


def remember(value: Center | None) -> None:
    """Set (or with None forget) the value this process serves, e.g. after a change."""
    global _cached
    _cached = None if value is None else (time.monotonic(), value)


def get_profile() -> CenterProfile:
    profile = CenterProfile.objects.filter(pk=CenterProfile.SINGLETON_ID).first()
    return profile or CenterProfile(name=Center().name)


@transaction.atomic
def update_profile(*, by, **values) -> CenterProfile:
    """Change the profile (the fields of ``EDITABLE_FIELDS``); every change is recorded in
    the audit trail. The prefecture must be one of Japan's 47."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    profile = CenterProfile.objects.select_for_update().filter(pk=CenterProfile.SINGLETON_ID)
    profile = profile.first() or CenterProfile(name=Center().name)
    before = audit.snapshot(profile, AUDITED)
    for name, value in values.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if not profile.name:
        raise ValidationError({"name": _("The center needs a name.")})
    if profile.prefecture:
        pref = sources.find_prefecture(profile.prefecture)
        if pref is None:
            raise ValidationError({"prefecture": _("Unknown prefecture.")})
        profile.prefecture, profile.prefecture_code = pref.name, pref.code
    else:
        profile.prefecture_code = ""
    profile.sections = {
        key: text.strip()
        for key, text in (profile.sections or {}).items()
        if isinstance(text, str) and text.strip()
    }
    profile.affiliations, profile.own_affiliations = vocabulary.resolve_affiliations(
        profile.affiliation_pairs(), profile.own_affiliation_pairs()
    )
    if not profile.health_office_name:
        profile.health_office_name = "保健所"
    profile.full_clean(exclude=["sections", "affiliations", "own_affiliations"])
    changes = audit.diff(before, audit.snapshot(profile, AUDITED))
    if changes or profile._state.adding:
        profile.save()
        audit.record(profile, "directory.center.changed", by=by, changes=changes)
    transaction.on_commit(lambda: remember(None))
    remember(as_center(profile))
    return profile


def adopt_prefecture(prefecture: sources.SourcePrefecture, *, by=None) -> bool:
    """After ``setup_prefecture``: the profile names that prefecture. A profile of another
    prefecture is the previous center's: it is reset to a neutral one for the new prefecture
    (contacts empty), which staff then complete. Returns whether it changed."""
    profile = get_profile()
    if profile.pk and profile.prefecture_code == prefecture.code:
        return False
    update_profile(
        by=by,
        prefecture=prefecture.name,
        name=f"{prefecture.name}ひきこもり地域支援センター",
        short_name="ひきこもり地域支援センター",
        phone="",
        fax="",
        email="",
        address="",
        sections={},
        health_office_name="保健所",
        affiliations=[],
        goal_fiscal_year=None,
        goal_share=100,
        goal_wording="",
    )
    return True
