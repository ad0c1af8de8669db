"""Who may keep a copy of a response, and pages reached by a secret token.

**Private caching.** Every response to a logged-in user (a session), to a request carrying an
``Authorization`` header (an API token) or to a URL whose pattern has a ``token`` parameter
answers ``Cache-Control: private, no-store`` (with ``no-cache, must-revalidate, max-age=0``):
no shared cache and no browser on a shared office PC keeps a staff page, an API answer or an
export. Calendar feeds keep their own rules (``keep_own_cache_rules``, feeds/views.py): a secret
link's feed is ``private, no-cache`` with its ETag, so calendar apps revalidate and get 304.

**Token pages.** Every URL whose pattern has a ``token`` parameter (a registrant's management
and confirmation pages, their calendar file and certificate, secret calendar links, the
registrant's links page) also answers ``Referrer-Policy: no-referrer`` (a link followed from it
does not carry the token to another site). New token URLs are covered by naming their parameter
``token``.

Their forms need no CSRF token: the secret in the URL already proves the request comes from
someone who holds the link (a forger would need the token itself), and with no referrer a
browser sends ``Origin: null``, which Django's CSRF check would refuse."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _has_token(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "token" in match.kwargs


def keep_own_cache_rules(request) -> None:
    """The view sets its own Cache-Control (a calendar feed with its ETag)."""
    request._own_cache_rules = True


def _is_personal(request) -> bool:
    if "Authorization" in request.headers:
        return True
    # Without a session cookie nobody is logged in: the session is not even read (a public
    # page then gets no "Vary: Cookie").
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class TokenPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        has_token = _has_token(request)
        if (has_token or _is_personal(request)) and not getattr(request, "_own_cache_rules", False):
            add_never_cache_headers(response)
        if has_token:
            response["Referrer-Policy"] = "no-referrer"
            response["X-Robots-Tag"] = "noindex"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "token" in view_kwargs:
            request._dont_enforce_csrf_checks = True
