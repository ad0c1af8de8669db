"""What erased personal data reads as (privacy/ erases it; docs/retention.md).

A name or free text becomes ``ERASED`` (「（削除済み）」, so every page, sheet and export that
shows it says so without knowing about erasure); an email address that a constraint needs
non-empty or unique becomes ``erased-<id>@erased.invalid`` (``.invalid`` can never be
delivered to), shown as ``ERASED`` by ``shown_address``."""

ERASED = "（削除済み）"
ERASED_DOMAIN = "@erased.invalid"


def is_erased_address(value: str) -> bool:
    return value.endswith(ERASED_DOMAIN)


def shown_address(value: str) -> str:
    return ERASED if is_erased_address(value) else value
