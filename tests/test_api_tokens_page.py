import pytest
from django.test import Client

from directory.models import ApiToken
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_api_tokens_page_issues_a_token_shown_once(center_staff):
    client = client_for(center_staff)

    response = client.post("/account/tokens/", {"label": "年次報告スクリプト"})

    token = ApiToken.objects.get(user=center_staff)
    raw = response.context["new_token"]
    assert token.label == "年次報告スクリプト"
    assert raw in response.content.decode()
    assert raw not in client.get("/account/tokens/").content.decode()
    assert (
        Client()
        .get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})
        .status_code
        == 200
    )


def test_api_tokens_page_refuses_an_empty_label_in_japanese(center_staff):
    response = client_for(center_staff).post("/account/tokens/", {"label": ""})

    page = response.content.decode()
    assert response.status_code == 422
    assert "入力してください" in page and "このフィールドは必須です。" not in page  # what to enter
    assert ApiToken.objects.count() == 0


def test_api_tokens_page_revokes_only_own_tokens(center_staff, municipal_staff):
    client_for(center_staff).post("/account/tokens/", {"label": "mine"})
    token = ApiToken.objects.get()

    other = client_for(municipal_staff).post(f"/account/tokens/{token.id}/revoke/")
    own = client_for(center_staff).post(f"/account/tokens/{token.id}/revoke/")

    token.refresh_from_db()
    assert (other.status_code, own.status_code) == (404, 302)
    assert token.revoked_at is not None


def test_api_tokens_page_is_404_for_the_outsider_and_login_for_anonymous(outsider):
    assert client_for(outsider).get("/account/tokens/").status_code == 404
    assert Client().get("/account/tokens/").url.startswith("/login/")
