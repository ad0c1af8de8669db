import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from directory.permissions import staff_required

pytestmark = pytest.mark.django_db


@staff_required
def staff_page(request):
    return HttpResponse("ok")


def _get(user):
    request = RequestFactory().get("/somewhere/?a=1")
    request.user = user
    return request


def test_staff_required_lets_every_role_in(personas):
    statuses = {
        role: staff_page(_get(personas[role])).status_code
        for role in ["center", "health_office", "municipal", "superuser"]
    }

    assert statuses == {"center": 200, "health_office": 200, "municipal": 200, "superuser": 200}


def test_staff_required_sends_anonymous_visitors_to_the_login_page():
    response = staff_page(_get(AnonymousUser()))

    assert (response.status_code, response["Location"]) == (302, "/login/?next=/somewhere/%3Fa%3D1")


def test_staff_required_answers_404_to_the_outsider(outsider):
    with pytest.raises(Http404):
        staff_page(_get(outsider))
