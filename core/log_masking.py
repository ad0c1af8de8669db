"""Secret links stay out of the logs.

A URL whose pattern has a ``token`` parameter (management and confirmation links, secret calendar
links, certificates, the registrant's links page) carries its secret in the path. Every log line
that names a path shows the token masked, its last four characters kept for support:
``/calendar/s/…a1b2.ics``, ``/training/r/…9xQz/``.

- ``mask_path(path)``: the path with its token masked (the query string is kept).
- ``MaskTokens``: a logging filter for Django's loggers (``django.request`` "Not Found: /…",
  ``django.server`` runserver's request lines; config/settings.py puts it on the handler).
- ``GunicornLogger``: gunicorn's logger with the access log's request line, path and referrer
  masked (deploy/gunicorn.conf.py ``logger_class``)."""

import logging
import re

KEEP = 4
_PATH = re.compile(r"/[^\s\"'<>]*")


def _mask(token: str) -> str:
    return "…" + token[-KEEP:] if len(token) > KEEP else "…"


def mask_path(path: str) -> str:
    """``path`` (with or without a query string) with the token of a token URL masked."""
    from django.urls import Resolver404, resolve

    if not path or not path.startswith("/"):
        return path
    bare, mark, query = path.partition("?")
    try:
        match = resolve(bare)
    except (Resolver404, ValueError):
        return path
    token = match.kwargs.get("token")
    if not token:
        return path
    return bare.replace(token, _mask(token)) + mark + query


def mask_text(text: str) -> str:
    """Every path in a log message masked."""
    if "/" not in text:
        return text
    return _PATH.sub(lambda found: mask_path(found.group(0)), text)


class MaskTokens(logging.Filter):
    """Rewrites each record's message with the token URLs in it masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a dependency; tests import this module
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's access log with token URLs masked: the request line (%(r)s), the path
    (%(U)s) and the referrer (%(f)s)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if atoms.get(key):
                atoms[key] = mask_text(atoms[key])
        return atoms
