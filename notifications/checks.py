from django.conf import settings
from django.core.checks import Error, register

from notifications.services import sending_lease


@register()
def lease_outlives_task_timeout(app_configs, **kwargs):
    """A claimed row may only be taken back once its worker is surely dead: the lease must be
    longer than django-q2's task timeout, after which the cluster kills the worker."""
    timeout = settings.Q_CLUSTER.get("timeout")
    if timeout and sending_lease().total_seconds() <= timeout:
        return [
            Error(
                "NOTIFICATIONS_SENDING_LEASE must be longer than Q_CLUSTER['timeout'].",
                id="notifications.E001",
            )
        ]
    return []
