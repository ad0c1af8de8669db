"""The center's name and contacts, asked for in one place by pages, emails, PDFs, feeds and the
report.

The profile itself is data kept by ``directory`` (editable by center staff); ``directory``
registers the function that reads it when the app is ready, so this module knows no app. Before
that (or without a profile row) the neutral default below answers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Center:
    name: str = "ひきこもり地域支援センター"
    short_name: str = "支援センター"
    prefecture: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    # Section names the report prints, by key (e.g. "direct_support": "直接支援").
    sections: dict = field(default_factory=dict)
    # Whether staff roles must log in with a second factor (mfa.policy); None: the center has
    # not chosen, and settings.SECOND_FACTOR_REQUIRED decides.
    require_second_factor: bool | None = None
    # The prefecture's own words: what it calls its health offices, and the affiliation kinds
    # its forms offer, in order, as (kind, label) pairs (empty: the usual kinds).
    health_office: str = "保健所"
    affiliations: tuple = ()
    # Every kind the center has added of its own, (key, label), offered or no longer offered
    # (core.vocabulary): rows stored with one keep showing its label.
    own_affiliations: tuple = ()
    # The case-meeting goal, if the prefecture has one: by which fiscal year which share (%)
    # of its municipalities hold case meetings, in its own wording.
    goal_fiscal_year: int | None = None
    goal_share: int = 100
    goal_wording: str = ""

    @property
    def prefecture_kind(self) -> str:
        """都, 道, 府 or 県, from the prefecture's name (県 before one is set)."""
        return self.prefecture[-1] if self.prefecture[-1:] in ("都", "道", "府", "県") else "県"


_provider: Callable[[], Center] | None = None


def register_provider(provider: Callable[[], Center] | None) -> Callable[[], Center] | None:
    """Called once by the app that keeps the profile. Returns the provider it replaces (a test
    puts it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def current() -> Center:
    """The center this installation serves."""
    return _provider() if _provider is not None else Center()
