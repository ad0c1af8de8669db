"""Who may answer a person's request about their data: center staff."""

from directory.permissions import is_center_staff


def can_handle_requests(user) -> bool:
    return is_center_staff(user)
