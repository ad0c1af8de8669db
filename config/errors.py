"""The answers when something fails, in Japanese even with DEBUG off: an HTML page, or under
``/api/`` a JSON body ``{"detail": …}`` (never Django's English 「Bad Request (400)」 or an
empty body). ``config/urls.py`` names the handlers for 400, 403, 404 and 500;
``ErrorBodyMiddleware`` gives a body to the 405 and 429 answers that have none (``require_POST``,
the API's method check); ``csrf_failure`` is Django's CSRF failure view."""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MESSAGES = {
    400: gettext_lazy("The request could not be read. Send it again from the page."),
    403: gettext_lazy("You may not do this."),
    404: gettext_lazy("Not found."),
    405: gettext_lazy("This address does not take a %(method)s request."),
    429: gettext_lazy("Too many requests. Try again later."),
    500: gettext_lazy("Something went wrong on the server. It has been recorded; try again later."),
}
TITLES = {
    400: gettext_lazy("The request could not be read"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Page not found"),
    405: gettext_lazy("Not possible here"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def message(status: int, request) -> str:
    return str(MESSAGES[status]) % {"method": request.method}


def error_response(request, status: int, detail: str | None = None) -> HttpResponse:
    """The Japanese answer for ``status``: JSON under /api/, otherwise the error page (a page
    without the site's navigation, so that it renders even when the database does not)."""
    text = detail or message(status, request)
    if is_api(request):
        return JsonResponse({"detail": text}, status=status)
    template = "404.html" if status == 404 else "error.html"
    context = {"status": status, "title": str(TITLES[status]), "message": text}
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:
        body = format_html(
            '<!DOCTYPE html><html lang="ja"><meta charset="utf-8"><title>{}</title>'
            "<h1>{}</h1><p>{}</p></html>",
            context["title"],
            context["title"],
            text,
        )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    return error_response(request, 500)


def csrf_failure(request, reason=""):
    return error_response(
        request,
        403,
        _("The form has expired or came from another site. Reload the page and send it again."),
    )


class ErrorBodyMiddleware:
    """Every 405 answer (``require_POST``'s is empty, django-ninja's says 「Method not allowed」)
    and a 429 answer without a body get the Japanese one; the Allow and Retry-After headers
    stay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if getattr(response, "streaming", False) or status not in (405, 429):
            return response
        if status == 405 or not response.content:
            replacement = error_response(request, status)
            response.content = replacement.content
            response["Content-Type"] = replacement["Content-Type"]
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
