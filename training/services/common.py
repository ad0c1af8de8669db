"""What the training services share: the event row locked for a change."""

from training.models import Event


def lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)
