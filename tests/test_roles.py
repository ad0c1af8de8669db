"""Roles live on the user: its effective role, whether it counts as center staff, and the query
for the center's staff that every app uses."""

import pytest
from django.contrib.auth.models import AnonymousUser

from directory.models import User
from directory.permissions import has_role, is_center_staff, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "role", "center"),
    [
        ("center", "center", True),
        ("superuser", "center", True),
        ("health_office", "health_office", False),
        ("municipal", "municipal", False),
        ("outsider", None, False),
    ],
)
def test_the_user_knows_its_role(personas, persona, role, center):
    user = personas[persona]

    assert (user.effective_role, user.is_center_staff, user.has_staff_role) == (
        role,
        center,
        role is not None,
    )
    assert (role_of(user), is_center_staff(user), has_role(user)) == (
        role,
        center,
        role is not None,
    )


def test_an_inactive_user_and_an_anonymous_visitor_have_no_role(center_staff):
    center_staff.is_active = False

    assert (center_staff.effective_role, center_staff.is_center_staff) == (None, False)
    assert (role_of(AnonymousUser()), is_center_staff(AnonymousUser())) == (None, False)


def test_center_staff_are_the_active_center_staff_and_superusers(personas):
    UserFactory(username="gone", role="center", is_active=False)

    names = set(User.objects.center_staff().values_list("username", flat=True))

    assert names == {personas["center"].username, personas["superuser"].username}
