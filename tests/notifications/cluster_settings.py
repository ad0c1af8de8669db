"""Settings for a real ``manage.py qcluster`` started by tests/notifications/test_qcluster.py:
the application's settings with the ORM broker (not sync mode), one short task timeout, the
database from DATABASE_URL (a file SQLite or PostgreSQL), mail written as files."""

import os

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.notifications.crashapp"]  # noqa: F405
Q_CLUSTER = {
    "name": "crashtest",
    "workers": int(os.environ.get("Q_WORKERS", "1")),
    # seconds; test_qcluster.py shortens it for the crash test, whose lease must outlive it
    "timeout": int(os.environ.get("Q_TIMEOUT", "10")),
    "retry": 60,
    "max_attempts": 1,
    "poll": 0.2,
    "catch_up": False,
    "orm": "default",
}
NOTIFICATIONS_BATCH_SIZE = 20  # several claims per run, so two workers contend
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
