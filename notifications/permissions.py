"""Who may read the outbox: it holds the addresses of trainees and contacts, so center staff
only; the page and the endpoints do not exist for other roles (404)."""

from directory.permissions import is_center_staff


def can_view_outbox(user) -> bool:
    return is_center_staff(user)


def can_retry_dispatch(user, dispatch) -> bool:
    return is_center_staff(user)


def can_change_reminder_days(user) -> bool:
    return is_center_staff(user)
