"""Who may do what with the report: center staff read it and enter its figures."""

from directory.permissions import is_center_staff


def can_view_report(user) -> bool:
    return is_center_staff(user)


def can_enter_direct_support(user) -> bool:
    return is_center_staff(user)
