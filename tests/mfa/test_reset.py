"""Center staff reset a colleague's lost second factor; every reset is in the audit trail."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from tests.conftest import client_for
from tests.mfa.helpers import with_app

pytestmark = pytest.mark.django_db


def test_center_staff_reset_a_colleagues_factor_audited(center_staff, health_office_staff):
    with_app(health_office_staff)

    response = client_for(center_staff).post(
        f"/account/second-factor/staff/{health_office_staff.pk}/reset/",
        {"reason": "スマートフォン紛失"},
    )

    entry = AuditEntry.objects.get(action="directory.user.second_factor_reset")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=health_office_staff).exists()
    assert not StaticDevice.objects.filter(user=health_office_staff).exists()
    assert (entry.object_id, entry.actor, entry.data) == (
        str(health_office_staff.pk),
        center_staff,
        {"removed": 2, "reason": "スマートフォン紛失"},
    )


def test_a_reset_needs_a_reason_and_changes_nothing_without(center_staff, health_office_staff):
    with_app(health_office_staff)

    response = client_for(center_staff).post(
        f"/account/second-factor/staff/{health_office_staff.pk}/reset/", {"reason": ""}
    )

    assert response.status_code == 422
    assert "理由を入力してください" in response.content.decode()  # says what to enter
    assert TOTPDevice.objects.filter(user=health_office_staff).exists()
    assert not AuditEntry.objects.filter(action="directory.user.second_factor_reset").exists()


def test_only_center_staff_reset_and_not_their_own(center_staff, health_office_staff, personas):
    with_app(health_office_staff)
    url = f"/account/second-factor/staff/{health_office_staff.pk}/reset/"

    others = [
        client_for(personas[name]).post(url, {"reason": "x"}).status_code
        for name in ("municipal", "outsider")
    ]
    own = client_for(center_staff).post(
        f"/account/second-factor/staff/{center_staff.pk}/reset/", {"reason": "x"}
    )

    assert others == [404, 404]
    assert own.status_code == 404
    assert TOTPDevice.objects.count() == 1


def test_the_staff_page_lists_who_has_which_factor(center_staff, health_office_staff):
    with_app(health_office_staff)

    rows = client_for(center_staff).get("/account/second-factor/staff/").context["rows"]

    assert {row["user"].username: (row["app"], row["passkey"]) for row in rows} == {
        "center": (False, False),
        "hata": (True, False),
    }
