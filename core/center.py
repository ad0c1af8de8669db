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


_provider: Callable[[], Center] | None = None


def register_provider(provider: Callable[[], Center]) -> None:
    """Called once by the app that keeps the profile."""
    global _provider
    _provider = provider


def current() -> Center:
    """The center this installation serves."""
    return _provider() if _provider is not None else Center()
