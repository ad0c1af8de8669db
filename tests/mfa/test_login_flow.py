"""The factor step after the password, through the real login page: a person with a factor
owes it before any other page; a staff login without one, when the center requires it, reaches
only the enrolment pages."""

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEntry
from directory.models import ApiToken
from directory.services import issue_api_token
from tests.mfa.helpers import app_code, with_app

pytestmark = pytest.mark.django_db


def _password_step(username: str, next_url: str = "/training/") -> Client:
    client = Client()
    response = client.post(
        f"/login/?next={next_url}", {"username": username, "password": "pw", "next": next_url}
    )
    assert response.status_code == 302
    return client


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_a_staff_login_without_a_factor_reaches_only_enrolment(health_office_staff):
    client = _password_step("hata")

    page = client.get("/training/")
    api = client.get("/api/directory/blocks")
    enrol = client.get(page.url)

    assert page.url == "/account/second-factor/enrol/?next=%2Ftraining%2F"
    assert (api.status_code, api.json()["detail"]) == (
        403,
        "先に二要素認証でログインを完了してください。",
    )
    assert "二要素認証を必須にしています" in enrol.content.decode()
    assert client.get("/account/tokens/").status_code == 302


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_an_api_token_is_not_held_up_by_a_session_waiting_for_its_factor(health_office_staff):
    _row, raw = issue_api_token(user=health_office_staff, label="script")
    client = _password_step("hata")

    response = client.get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})

    assert response.status_code == 200


def test_without_a_requirement_a_password_alone_is_enough(health_office_staff):
    client = _password_step("hata")

    assert client.get("/training/").status_code == 200


def test_a_person_with_an_app_gives_its_code_after_the_password(center_staff):
    device, _codes = with_app(center_staff)
    client = _password_step("center")
    assert client.get("/training/").url == "/account/second-factor/verify/?next=%2Ftraining%2F"

    response = client.post(
        "/account/second-factor/verify/?next=/training/",
        {"code": app_code(device.bin_key), "next": "/training/"},
    )

    assert response.url == "/training/"
    assert client.get("/training/").status_code == 200


def test_a_wrong_code_is_refused_in_japanese_and_slows_the_app_down(center_staff):
    device, _codes = with_app(center_staff)
    client = _password_step("center")
    wrong = f"{(int(app_code(device.bin_key)) + 1) % 1_000_000:06d}"

    response = client.post("/account/second-factor/verify/", {"code": wrong})

    device.refresh_from_db()
    assert response.status_code == 422
    assert "コードが正しくないか" in response.content.decode()
    assert device.throttling_failure_count == 1
    assert client.get("/training/").status_code == 302


def test_a_recovery_code_works_once(center_staff):
    _device, codes = with_app(center_staff)
    first = _password_step("center")
    used = first.post("/account/second-factor/verify/", {"code": codes[0].upper()})
    second = _password_step("center")
    again = second.post("/account/second-factor/verify/", {"code": codes[0]})

    assert used.status_code == 302
    assert first.get("/training/").status_code == 200
    assert again.status_code == 422
    assert "9" in first.get("/account/second-factor/").content.decode()


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_enrolling_an_app_gives_recovery_codes_and_opens_the_site(health_office_staff):
    client = _password_step("hata")
    client.get("/account/second-factor/app/")
    device = TOTPDevice.objects.get(user=health_office_staff)

    response = client.post(
        "/account/second-factor/app/?next=/training/",
        {"code": app_code(device.bin_key), "next": "/training/"},
    )
    codes_page = client.get(response.url)

    device.refresh_from_db()
    added = AuditEntry.objects.get(action="directory.user.second_factor_added")
    assert device.confirmed
    assert (added.object_id, added.data) == (str(health_office_staff.pk), {"kind": "totp"})
    assert len(codes_page.context["codes"]) == 10
    assert codes_page.context["continue_url"] == "/training/"
    assert client.get("/training/").status_code == 200


def test_the_token_page_asks_a_person_with_a_factor_again_after_a_while(center_staff):
    device, _codes = with_app(center_staff)
    client = _password_step("center", "/account/tokens/")
    client.post("/account/second-factor/verify/", {"code": app_code(device.bin_key)})
    session = client.session
    session["mfa_verified_at"] -= 301
    session.save()

    asked = client.post("/account/tokens/", {"label": "年次報告"})
    client.post(
        "/account/second-factor/verify/?next=/account/tokens/",
        {"code": app_code(device.bin_key, ahead=1), "next": "/account/tokens/"},
    )
    issued = client.post("/account/tokens/", {"label": "年次報告"})

    assert asked.url == "/account/second-factor/verify/?next=/account/tokens/"
    assert issued.status_code == 200
    assert ApiToken.objects.filter(user=center_staff).count() == 1


def test_the_token_page_asks_again_when_the_session_never_gave_the_factor(center_staff):
    with_app(center_staff)
    client = Client()
    client.force_login(center_staff)
    session = client.session
    session.pop("mfa_pending")
    session.save()

    response = client.post("/account/tokens/", {"label": "x"})

    assert response.url.startswith("/account/second-factor/verify/")
    assert ApiToken.objects.count() == 0


def test_the_admins_login_door_also_leads_to_the_factor_step(superuser):
    with_app(superuser)
    client = Client()
    client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": "pw", "next": "/admin/"}
    )

    response = client.get("/admin/")

    assert response.url == "/account/second-factor/verify/?next=%2Fadmin%2F"
