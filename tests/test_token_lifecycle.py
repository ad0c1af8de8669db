"""API tokens follow their person (issue #19): a password change, a deactivation or the loss of
the staff role revokes the person's API tokens, audited; reactivation revives none; the feed
links the person issued for a municipality stay listed."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings

from core.models import AuditEntry
from directory.models import ApiToken, Municipality
from directory.services import issue_api_token
from feeds.models import Subscription
from feeds.services import issue_subscription
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def api_status(raw: str) -> int:
    return (
        Client().get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})
    ).status_code


def log_in(username: str, password: str):
    return Client().post("/login/", {"username": username, "password": password})


@pytest.fixture
def token(center_staff):
    _token, raw = issue_api_token(user=center_staff, label="集計スクリプト")
    assert api_status(raw) == 200
    return raw


def test_a_password_change_in_the_admin_revokes_the_persons_tokens(center_staff, superuser, token):
    _other, other_raw = issue_api_token(user=superuser, label="管理者のスクリプト")

    response = client_for(superuser).post(
        f"/admin/directory/user/{center_staff.pk}/password/",
        {
            "password1": "a-new-Passw0rd-9",
            "password2": "a-new-Passw0rd-9",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert api_status(token) == 401
    assert api_status(other_raw) == 200  # someone else's token lives on
    entry = AuditEntry.objects.get(action="directory.apitoken.revoked_with_person")
    assert (entry.actor, entry.data) == (None, {"reason": "password"})


def test_set_password_anywhere_revokes_them(center_staff, token):
    center_staff.set_password("another-Passw0rd-1")
    center_staff.save()

    assert api_status(token) == 401


def test_an_unusable_password_revokes_them(center_staff, token):
    center_staff.set_unusable_password()
    center_staff.save()

    assert api_status(token) == 401


def test_deactivation_revokes_them_and_reactivation_revives_none(center_staff, token):
    center_staff.is_active = False
    center_staff.save()
    center_staff.is_active = True
    center_staff.save()

    assert api_status(token) == 401
    assert ApiToken.objects.active().filter(user=center_staff).count() == 0
    assert AuditEntry.objects.get(action="directory.apitoken.revoked_with_person").data == {
        "reason": "deactivated"
    }


def test_loss_of_role_revokes_them_and_the_role_back_revives_none(center_staff, token):
    center_staff.role = ""
    center_staff.save()
    center_staff.role = "center"
    center_staff.save()

    assert api_status(token) == 401


def test_the_municipality_feeds_they_issued_stay_listed(center_staff, superuser, token):
    ino = Municipality.objects.get(name="いの町")
    link, _raw = issue_subscription(
        target=ino, label="いの町の共有カレンダー", issued_by=center_staff
    )

    center_staff.is_active = False
    center_staff.save()

    link.refresh_from_db()
    assert Subscription.objects.filter(pk=link.pk, revoked_at__isnull=True).exists()
    assert (
        "いの町の共有カレンダー" in client_for(superuser).get("/calendar/links/").content.decode()
    )


def test_other_changes_and_a_login_leave_them(center_staff, token):
    center_staff.last_name = "改姓"
    center_staff.save()
    log_in(center_staff.username, "pw")

    assert api_status(token) == 200


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
)
def test_a_hash_upgrade_at_login_is_not_a_password_change(center_staff, token):
    type(center_staff).objects.filter(pk=center_staff.pk).update(
        password=make_password("pw", hasher="md5")
    )

    assert log_in(center_staff.username, "pw").status_code == 302

    center_staff.refresh_from_db()
    assert center_staff.password.startswith("pbkdf2_")  # upgraded at login
    assert api_status(token) == 200
