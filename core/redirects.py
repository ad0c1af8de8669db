"""Where to go after a form: the ``next`` the page asked for, only when it stays on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """``next`` from the POST or the query string when it is a URL of this host (and scheme),
    else ``default``: ``next=https://evil.example/`` never leaves the site."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
