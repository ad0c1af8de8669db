"""Settings for Sasaeru: one module, configured by environment variables only.

Every variable has a default that works on a laptop; the README lists them all.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SASAERU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: bin/run turns it on for a laptop; a server never shows debug pages.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
if DEBUG and set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    # Debug pages show settings, URL patterns and tracebacks to whoever reaches the server.
    raise ImproperlyConfigured(
        "Refusing to start: DEBUG is on while ALLOWED_HOSTS names non-local hosts "
        f"({', '.join(sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS))}). Turn DEBUG off on a server."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The address calendar links, confirmation links and emails point at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_q",
    "ninja",
    "config",
    "core",
    "mfa",
    "directory",
    "notifications",
    "training",
    "supervision",
    "attendance",
    "surveys",
    "feeds",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.JapaneseFirstLocaleMiddleware",
    "config.errors.ErrorBodyMiddleware",  # a Japanese body for 405/429 answers without one
    "django.middleware.common.CommonMiddleware",
    "core.middleware.TokenPageMiddleware",  # before CSRF: token URLs carry their own secret
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor
    "mfa.middleware.SecondFactorMiddleware",  # a login waiting for it reaches its pages only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.center",
            ],
            # |wareki, the one date format of the pages, in every template.
            "builtins": ["core.templatetags.wareki"],
        },
    },
    {
        # Emails are plain text (core.emails): the same templates without HTML autoescaping, so
        # 「Q&A」 arrives as Q&A, not Q&amp;A.
        "NAME": "mail",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["core.templatetags.wareki"]},
    },
]


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL; SQLite gets WAL mode and immediate transactions for concurrent use."""
    # CONN_MAX_AGE > 0 keeps connections (and SQLite's page cache) between requests: a calendar
    # poll then costs ~0.5 ms of database time instead of ~8 ms (bench/feeds.py).
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Mail: by default every message is written as a file under var/mail/ where a person can read it.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
# manage.py backup without a path: where the private backups go and how many stay (the newest).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP connection may wait for the server: a mail server that hangs makes the batch's
# messages retry later instead of holding the job until its timeout.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "center@sasaeru.example")

# The center's profile (directory.center) is kept in memory this many seconds per process.
CENTER_PROFILE_SECONDS = int(os.environ.get("CENTER_PROFILE_SECONDS", "60"))

# Background jobs: django-q2 on the Django ORM by default, on Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
Q_CLUSTER = {
    "name": "sasaeru",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 300,
    "max_attempts": 3,
    "catch_up": False,
    "label": "ジョブ",
}
# Seconds a message may stay claimed ("sending") before another run takes it back; longer than
# the task timeout above, so only a dead worker's claim is taken (notifications.services).
NOTIFICATIONS_SENDING_LEASE = int(os.environ.get("NOTIFICATIONS_SENDING_LEASE", "600"))
# When trainee reminders go out (Tokyo time, HH:MM), N days before the event's day.
TRAINING_REMINDER_TIME = os.environ.get("TRAINING_REMINDER_TIME", "10:00")
# Messages claimed and sent over one mail connection at a time.
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("NOTIFICATIONS_BATCH_SIZE", "200"))
# How long personal data is kept (privacy/periods.py, docs/retention.md): registrations and
# rosters until the end of their fiscal year plus N years, visits' confidential notes the same
# with their own N, finished messages' addresses and subjects for N days.
RETENTION_PERSONAL_YEARS = int(os.environ.get("RETENTION_PERSONAL_YEARS", "5"))
RETENTION_VISIT_NOTES_YEARS = int(os.environ.get("RETENTION_VISIT_NOTES_YEARS", "5"))
RETENTION_OUTBOX_DAYS = int(os.environ.get("RETENTION_OUTBOX_DAYS", "90"))
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Caches. "feeds" holds rendered calendar files and events (feeds/ical.py). Its keys carry the
# version of the data, so it never serves stale bytes whether it is per process (local memory,
# the default: each process renders a changed feed once) or shared (Redis when REDIS_URL is set).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counters of the abuse limits: shared by every process through Redis in production.
    "limits": (
        {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sasaeru-limits",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}
    ),
    "feeds": (
        {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sasaeru",
            "TIMEOUT": 14 * 24 * 3600,
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "feeds",
            "TIMEOUT": 14 * 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FEEDS_CACHE_ENTRIES", "50000"))},
        }
    ),
}
# Rendered calendar files (MB) and feeds' VEVENT sets each process keeps unpickled (feeds/ical.py).
FEEDS_MEMORY_MB = int(os.environ.get("FEEDS_MEMORY_MB", "64"))
FEEDS_MEMORY_FEEDS = int(os.environ.get("FEEDS_MEMORY_FEEDS", "200"))
# A feed's data version is kept this long in the feeds cache, so an unchanged feed's poll needs no
# query: a change shows in feeds within this many seconds (0: every poll asks the database).
FEEDS_VERSION_SECONDS = int(os.environ.get("FEEDS_VERSION_SECONDS", "60"))
# Each process counts secret links' fetches and writes them at most once per this many seconds,
# all links in one UPDATE, on a fetch (0: one UPDATE per fetch). See feeds/links.py.
FEEDS_FETCH_FLUSH_SECONDS = int(os.environ.get("FEEDS_FETCH_FLUSH_SECONDS", "60"))

# Logs go to standard output (systemd's journal, a container's log), one line per record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}
    },
    # Secret links are masked in every line (core/log_masking.py): /calendar/s/…a1b2.ics
    "filters": {"mask_tokens": {"()": "core.log_masking.MaskTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["mask_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's loggers (runserver's request lines, "Not Found: /…") through the console handler
    # above only: Django's own handlers for them would print the token.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- hardening (docs/operations.md) ------------------------------------------------------------

# Scripts, styles, images, fonts and connections from this site only: no inline script or
# style (static/js/app.js carries the shared behaviour), no framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # pages reached by a token send none (core.http)
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy (nginx, a load balancer): the header it sets to "https".
# Empty: requests are taken as they come (no proxy).
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "X-Forwarded-Proto")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one client, that pair (account, client) is locked for AXES_COOLOFF_MINUTES (then it unlocks by
# itself); center staff unlock it earlier at /account/lockouts/. The client is the address the
# abuse limits use (core.limits.client_ip, honouring PROXY_COUNT), so wrong logins from one client
# never lock out another client, and a stranger cannot lock a named account for its owner.
# A guesser spread over many addresses meets the strong-password rules, the pair limit per
# address and the second factor (docs/security.md).
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1" if _proxy_header else "0"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.limits.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "directory.views.locked_out"  # Japanese page, 429, Retry-After
AXES_VERBOSE = False

# Abuse limits on public registration (core.limits): requests per client address and per email
# address, and confirmation emails to one address. "N/s|m|h|d"; the load test raises the first.
REGISTRATION_LIMIT_PER_IP = os.environ.get("REGISTRATION_LIMIT_PER_IP", "30/h")
REGISTRATION_LIMIT_PER_ADDRESS = os.environ.get("REGISTRATION_LIMIT_PER_ADDRESS", "5/h")
CONFIRMATION_EMAILS_PER_ADDRESS = int(os.environ.get("CONFIRMATION_EMAILS_PER_ADDRESS", "5"))
RATELIMIT_USE_CACHE = "limits"

# Second factor (mfa/, docs/security.md): TOTP apps, passkeys and recovery codes. Staff roles
# must use one when the center's profile says so; a profile that has not chosen follows this
# default, on unless DEBUG (the demo's logins work with a password alone).
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", not DEBUG)
# Issuing an API token asks for the second factor again when it was given longer ago than this.
SECOND_FACTOR_REAUTH_SECONDS = int(os.environ.get("SECOND_FACTOR_REAUTH_SECONDS", "300"))
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Sasaeru")
# Passkeys are a second factor after the password, never a login of their own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The relying party and the allowed origin are this site's own host as the request names it
# (ALLOWED_HOSTS vouches for it): mfa.webauthn.Helper, so the library's two checks for fixed
# values do not apply.
OTP_WEBAUTHN_HELPER_CLASS = "mfa.webauthn.Helper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "mfa.webauthn.relying_party_id"
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
OTP_WEBAUTHN_RP_NAME = os.environ.get("OTP_WEBAUTHN_RP_NAME", "Sasaeru")
