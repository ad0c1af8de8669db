"""django-q2 entry points. They take ids, tolerate rows that have gone, and are safe to run
twice or at once (the sender claims rows before sending)."""

from notifications.services import send_due_dispatches


def send_due() -> str:
    """The scheduled job (config/jobs.py): send everything that is due."""
    return str(send_due_dispatches())


def send_dispatches(ids: list[int]) -> str:
    """Send these dispatches now if they are still pending and due (send_now, retry)."""
    return str(send_due_dispatches(ids=ids))
