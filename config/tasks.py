"""Tasks that belong to the wiring itself."""

import logging

from django.utils import timezone

log = logging.getLogger(__name__)


def heartbeat() -> str:
    """Proves the cluster runs scheduled jobs; /healthz and the admin show its last success."""
    now = timezone.now().isoformat()
    log.info("heartbeat %s", now)
    return now
