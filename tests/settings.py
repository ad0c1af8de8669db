"""Test settings: the application's settings with fast hashing, mail kept in memory and
django-q2 running tasks synchronously. DATABASE_URL chooses SQLite (default) or PostgreSQL."""

import os

os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# The production defaults (DEBUG off, HSTS, CSP, throttling) with what plain-HTTP tests need.
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
# Tests log staff in with a password alone unless they ask for the second factor (tests/mfa);
# the production default (required outside DEBUG) is tested in tests/mfa/test_policy.py.
os.environ.setdefault("SECOND_FACTOR_REQUIRED", "false")
# The feeds keep their production caching (FEEDS_VERSION_SECONDS and FEEDS_FETCH_FLUSH_SECONDS
# at their defaults): a test that changes data and fetches again moves the feeds' clock past the
# window (the feed_clock fixture, tests/conftest.py) as a poll a minute later would.

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # static files come from the finders; nothing is collected in tests
CENTER_PROFILE_SECONDS = None  # kept until changed; tests/conftest.py resets it per test
