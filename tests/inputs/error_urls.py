"""The application's URLs and views that fail on purpose, under /api/ and elsewhere, for the
error-answer tests (tests/inputs/test_error_answers.py)."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fail(request, status: int):
    if status == 400:
        raise BadRequest("bad")
    if status == 403:
        raise PermissionDenied
    if status == 404:
        raise Http404
    if status == 429:
        return HttpResponse(status=429)
    raise RuntimeError("boom")


urlpatterns = [
    path("api/failing/<int:status>/", fail),
    path("failing/<int:status>/", fail),
    *urlpatterns,
]
