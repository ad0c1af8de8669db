"""Pages and files reached by a secret token.

Every URL whose pattern has a ``token`` parameter (a registrant's management and confirmation
pages, their calendar file and certificate, secret calendar links, the registrant's links page)
is answered with ``Cache-Control: no-store`` (no shared or browser cache keeps it) and
``Referrer-Policy: no-referrer`` (a link followed from it does not carry the token to another
site). New token URLs are covered by naming their parameter ``token``.

Their forms need no CSRF token: the secret in the URL already proves the request comes from
someone who holds the link (a forger would need the token itself), and with no referrer a
browser sends ``Origin: null``, which Django's CSRF check would refuse."""

from django.utils.cache import add_never_cache_headers


def _has_token(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "token" in match.kwargs


class TokenPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _has_token(request):
            add_never_cache_headers(response)
            response["Referrer-Policy"] = "no-referrer"
            response["X-Robots-Tag"] = "noindex"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "token" in view_kwargs:
            request._dont_enforce_csrf_checks = True
