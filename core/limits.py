"""Abuse limits on what the public may do (django-ratelimit's counters in the ``limits`` cache:
Redis in production, so every web worker counts together).

``enforce(request, group=..., rate="5/h", value=...)`` counts one request for ``value`` (a
client address, an email address) in the group and raises ``core.errors.RateLimited`` with the
seconds until the window ends once the count passes the rate. The API answers it 429 with
``Retry-After`` (config/api.py); pages render their own 429."""

from django.conf import settings
from django_ratelimit.core import get_usage

from core.errors import RateLimited


def client_ip(request) -> str:
    """The client's address: behind ``PROXY_COUNT`` trusted proxies, the address the nearest
    one saw (X-Forwarded-For read from the right), else the socket's peer."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def enforce(request, *, group: str, rate: str, value: str) -> None:
    """Count this request for ``value`` in ``group``; RateLimited once over ``rate``."""
    if not value or not rate:
        return
    usage = get_usage(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=True
    )
    if usage and usage["should_limit"]:
        raise RateLimited(retry_after=max(usage["time_left"], 1))


def retry_after_minutes(error: RateLimited) -> int:
    return max((error.retry_after + 59) // 60, 1)


def limit_registration(request, *, email: str) -> None:
    """The public registration's limits (form and API): requests per client address
    (REGISTRATION_LIMIT_PER_IP) and per email address (REGISTRATION_LIMIT_PER_ADDRESS)."""
    enforce(
        request,
        group="registration:ip",
        rate=settings.REGISTRATION_LIMIT_PER_IP,
        value=client_ip(request),
    )
    enforce(
        request,
        group="registration:address",
        rate=settings.REGISTRATION_LIMIT_PER_ADDRESS,
        value=email.strip().lower(),
    )
