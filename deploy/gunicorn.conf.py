"""gunicorn's settings for Sasaeru (bin/serve web; deploy/sasaeru-web.service).

Threads per worker (gthread): requests mostly wait for the database, and calendar polls are
many and small. Everything from the environment; logs (access and errors) on standard output."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "4"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (a leak cannot grow for ever). Not too few: a new
# worker starts with none of the rendered feeds in memory (feeds/ical.py), and calendar polls
# alone can be hundreds a second.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# The TLS-terminating proxy's address: only it may say the request came over https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
# Token URLs masked in the access log (/calendar/s/…a1b2.ics): core/log_masking.py
logger_class = "core.log_masking.GunicornLogger"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
capture_output = True
proc_name = "sasaeru-web"


def worker_exit(server, worker):
    """A worker that stops (max_requests, a reload, shutdown) writes the feed fetches it has
    counted and not yet written (feeds/links.py), so none is lost."""
    from django.apps import apps

    if apps.ready:  # the worker got as far as loading the application
        from feeds.links import write_pending

        write_pending()
