"""django-q2 entry point of the scheduled erasure (config/jobs.py)."""

import logging

from privacy.scheduled import erase_expired

logger = logging.getLogger(__name__)


def erase_expired_data() -> str:
    """Erase the personal data past its retention period; answers the counts (the task's
    result, as the other jobs do)."""

    def progress(key: str, done: int, due: int) -> None:
        logger.info("erasing %s: %d of %d", key, done, due)

    run = erase_expired(progress=progress)
    return "nothing due" if run is None else str(run.counts)
