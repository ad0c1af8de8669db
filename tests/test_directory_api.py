import pytest
from django.test import Client

from directory.models import ApiToken, Municipality, PartnerOrganization
from directory.services import issue_api_token
from tests.conftest import client_for
from tests.factories import ContactFactory, district, municipality

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "/api/directory/blocks",
    "/api/directory/districts",
    "/api/directory/municipalities",
    "/api/directory/organizations",
]


def detail_endpoints():
    return [
        f"/api/directory/municipalities/{municipality('いの町').id}",
        f"/api/directory/organizations/{PartnerOrganization.objects.first().id}",
    ]


@pytest.mark.parametrize("role", ["center", "health_office", "municipal", "superuser"])
def test_directory_endpoints_answer_every_role(personas, role):
    client = client_for(personas[role])

    statuses = [client.get(url).status_code for url in LIST_ENDPOINTS + detail_endpoints()]

    assert statuses == [200] * 6


def test_directory_endpoints_answer_404_to_the_outsider(personas):
    client = client_for(personas["outsider"])

    statuses = [client.get(url).status_code for url in LIST_ENDPOINTS + detail_endpoints()]

    assert statuses == [404] * 6


def test_directory_endpoints_answer_401_without_login(db):
    statuses = [Client().get(url).status_code for url in LIST_ENDPOINTS + detail_endpoints()]

    assert statuses == [401] * 6


def test_directory_municipalities_lists_all_34(center_staff):
    response = client_for(center_staff).get("/api/directory/municipalities")

    assert response.json()["count"] == 34
    assert len(response.json()["items"]) == 34
    assert response.json()["items"][0] == {
        "id": municipality("高知市").id,
        "code": "392014",
        "name": "高知市",
        "kana": "こうちし",
        "kind": "city",
        "latitude": municipality("高知市").latitude,
        "longitude": municipality("高知市").longitude,
        "is_current": True,
        "district_id": district("高知市").id,
        "block_id": municipality("高知市").block_id,
    }


def test_directory_municipalities_filter_by_block(center_staff):
    east = municipality("安芸市").block_id

    response = client_for(center_staff).get(f"/api/directory/municipalities?block_id={east}")

    assert [row["name"] for row in response.json()["items"]] == [
        "室戸市", "安芸市", "東洋町", "奈半利町", "田野町", "安田町", "北川村", "馬路村", "芸西村",
    ]  # fmt: skip


def test_directory_contacts_are_scoped_by_role(personas):
    ino = ContactFactory(municipality=municipality("いの町"), name="伊野 担当")
    ContactFactory(municipality=municipality("宿毛市"), name="宿毛 担当")
    url_ino = f"/api/directory/municipalities/{ino.municipality_id}"
    url_sukumo = f"/api/directory/municipalities/{municipality('宿毛市').id}"

    seen = {
        role: (
            [c["name"] for c in client_for(personas[role]).get(url_ino).json()["contacts"]],
            [c["name"] for c in client_for(personas[role]).get(url_sukumo).json()["contacts"]],
        )
        for role in ["center", "health_office", "municipal"]
    }

    assert seen == {
        "center": (["伊野 担当"], ["宿毛 担当"]),
        "health_office": ([], ["宿毛 担当"]),
        "municipal": (["伊野 担当"], []),
    }


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/directory/municipalities/abc", 422, "municipality_id"),
        ("/api/directory/municipalities?block_id=west", 422, "block_id"),
        ("/api/directory/municipalities?district_id=1.5", 422, "district_id"),
        ("/api/directory/organizations/xyz", 422, "organization_id"),
        ("/api/directory/municipalities/999999", 404, None),
        ("/api/directory/organizations/999999", 404, None),
    ],
)
def test_directory_bad_input_is_a_clear_error(center_staff, url, status, field):
    response = client_for(center_staff).get(url)

    assert response.status_code == status
    if field:
        assert response.json()["detail"][0]["loc"][-1] == field
        assert response.json()["detail"][0]["msg"] == "整数を入力してください。"
    else:
        assert response.json() == {"detail": "見つかりません。"}


def test_api_parser_errors_follow_the_chosen_language(center_staff):
    client = client_for(center_staff)
    client.cookies["django_language"] = "en"

    response = client.get("/api/directory/municipalities?block_id=west")

    assert response.json()["detail"][0]["msg"] == "Enter a whole number."


def test_directory_is_read_only_over_the_api(center_staff):
    response = client_for(center_staff).post(
        "/api/directory/municipalities", {"name": "新町"}, content_type="application/json"
    )

    assert response.status_code == 405
    assert Municipality.objects.count() == 34


def test_api_token_authenticates_a_script(center_staff):
    token, raw = issue_api_token(user=center_staff, label="集計スクリプト")

    response = Client().get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})

    token.refresh_from_db()
    assert response.status_code == 200
    assert [b["name"] for b in response.json()] == ["西部", "中央", "東部"]
    assert token.last_used_at is not None
    assert token.token_hash != raw


def test_api_token_revoked_or_wrong_is_refused(center_staff):
    token, raw = issue_api_token(user=center_staff, label="old")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)

    revoked = Client().get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})
    wrong = Client().get("/api/directory/blocks", headers={"authorization": "Bearer nope"})

    assert (revoked.status_code, wrong.status_code) == (401, 401)


def test_api_token_of_an_outsider_gets_404(outsider):
    _, raw = issue_api_token(user=outsider, label="x")

    response = Client().get("/api/directory/blocks", headers={"authorization": f"Bearer {raw}"})

    assert response.status_code == 404


def test_openapi_schema_is_served(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    assert "/api/directory/municipalities" in response.json()["paths"]


def test_api_docs_page_loads_no_cdn_asset(db):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"cdn." not in response.content
    assert b"unpkg" not in response.content


def test_directory_list_query_count_does_not_grow(center_staff, django_assert_num_queries):
    client = client_for(center_staff)
    west = municipality("宿毛市").block_id

    # session, user, the count, the page
    with django_assert_num_queries(4):
        client.get("/api/directory/municipalities")
    with django_assert_num_queries(4):
        client.get(f"/api/directory/municipalities?block_id={west}")
