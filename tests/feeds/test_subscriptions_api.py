"""POST /api/feeds/subscriptions and DELETE /api/feeds/subscriptions/{id}, per role."""

import json

import pytest
from django.test import Client

from feeds import services
from feeds.models import Subscription
from tests.conftest import client_for
from tests.factories import municipality

pytestmark = pytest.mark.django_db

URL = "/api/feeds/subscriptions"


def post(client, **payload):
    return client.post(URL, data=json.dumps(payload), content_type="application/json")


def test_center_staff_issue_a_municipality_link(center_staff):
    ino = municipality("いの町")

    response = post(client_for(center_staff), kind="municipality", target_id=ino.id, label="共有")

    body = response.json()
    row = Subscription.objects.get()
    assert response.status_code == 201
    assert (body["id"], body["kind"], body["label"]) == (row.id, "municipality", "共有")
    assert body["https_url"].startswith("http://127.0.0.1:8000/calendar/s/")
    assert body["webcal_url"] == "webcal://" + body["https_url"].split("://", 1)[1]
    assert len(body["https_url"]) < 256
    assert (row.municipality, row.created_by, row.revoked_at) == (ino, center_staff, None)


def test_issued_link_serves_the_feed(center_staff, municipal_staff):
    body = post(
        client_for(center_staff),
        kind="municipality",
        target_id=municipal_staff.municipality_id,
        label="共有",
    ).json()

    response = Client().get(body["https_url"].removeprefix("http://127.0.0.1:8000"))

    assert (response.status_code, response["Content-Type"]) == (
        200,
        "text/calendar; charset=utf-8",
    )


@pytest.mark.parametrize(
    ("kind", "target"), [("block", lambda user: municipality("いの町").block_id), ("staff", None)]
)
def test_center_staff_issue_block_and_staff_links(center_staff, kind, target):
    target_id = target(center_staff) if target else center_staff.id

    response = post(client_for(center_staff), kind=kind, target_id=target_id, label="手帳")

    assert response.status_code == 201


def test_municipal_staff_issue_their_own_municipality_link(municipal_staff):
    response = post(
        client_for(municipal_staff),
        kind="municipality",
        target_id=municipal_staff.municipality_id,
        label="課の共有カレンダー",
    )

    assert response.status_code == 201


def test_municipal_staff_may_not_issue_another_municipality_link(municipal_staff):
    response = post(
        client_for(municipal_staff),
        kind="municipality",
        target_id=municipality("須崎市").id,
        label="x",
    )

    assert response.status_code == 403
    assert Subscription.objects.count() == 0


def test_municipal_staff_may_not_issue_block_links(municipal_staff):
    response = post(
        client_for(municipal_staff),
        kind="block",
        target_id=municipal_staff.municipality.block_id,
        label="x",
    )

    assert response.status_code == 403


def test_health_office_staff_issue_links_within_their_district_only_and_no_block_links(
    health_office_staff,
):
    client = client_for(health_office_staff)

    statuses = [
        post(client, kind="municipality", target_id=municipality("四万十市").id, label="a"),
        post(client, kind="municipality", target_id=municipality("いの町").id, label="b"),
        post(client, kind="block", target_id=municipality("四万十市").block_id, label="c"),
        post(client, kind="staff", target_id=health_office_staff.id, label="d"),
    ]

    assert [response.status_code for response in statuses] == [201, 403, 403, 201]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "planet", "target_id": 1, "label": "x"}, "kind"),
        ({"kind": "municipality", "target_id": 999999, "label": "x"}, "target_id"),
        ({"kind": "municipality", "target_id": "abc", "label": "x"}, "target_id"),
        ({"kind": "municipality", "target_id": None, "label": " "}, "target_id"),
        ({"kind": "municipality", "label": "x"}, "target_id"),
        ({"kind": "staff", "target_id": 0, "label": "x"}, "target_id"),
        ({"kind": "municipality", "target_id": "{ino}", "label": "   "}, "label"),
        ({"kind": "municipality", "target_id": "{ino}", "label": "あ" * 101}, "label"),
    ],
)
def test_bad_input_answers_422_with_the_field(center_staff, payload, field):
    if payload.get("target_id") == "{ino}":
        payload = {**payload, "target_id": municipality("いの町").id}

    response = post(client_for(center_staff), **payload)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_outsider_gets_404_and_anonymous_401(outsider):
    payload = {"kind": "municipality", "target_id": municipality("いの町").id, "label": "x"}

    statuses = [
        post(client_for(outsider), **payload).status_code,
        post(Client(), **payload).status_code,
    ]

    assert statuses == [404, 401]


def test_delete_revokes_the_link_at_once(center_staff):
    row, raw = services.issue_subscription(
        target=municipality("いの町"), label="共有", issued_by=center_staff
    )
    Client().get(f"/calendar/s/{raw}.ics")

    response = client_for(center_staff).delete(f"{URL}/{row.id}")

    row.refresh_from_db()
    assert response.status_code == 204
    assert row.revoked_at is not None and row.revoked_by == center_staff
    assert Client().get(f"/calendar/s/{raw}.ics").status_code == 404


def test_municipal_staff_revoke_their_municipality_links_but_see_no_others(
    center_staff, municipal_staff
):
    own, _raw = services.issue_subscription(
        target=municipal_staff.municipality, label="共有", issued_by=center_staff
    )
    other, _raw = services.issue_subscription(
        target=municipality("須崎市"), label="共有", issued_by=center_staff
    )
    client = client_for(municipal_staff)

    statuses = [
        client.delete(f"{URL}/{other.id}").status_code,
        client.delete(f"{URL}/{own.id}").status_code,
    ]

    assert statuses == [404, 204]


def test_outsider_cannot_revoke(center_staff, outsider):
    row, _raw = services.issue_subscription(
        target=municipality("いの町"), label="共有", issued_by=center_staff
    )

    response = client_for(outsider).delete(f"{URL}/{row.id}")

    row.refresh_from_db()
    assert (response.status_code, row.revoked_at) == (404, None)


def test_health_office_staff_issue_their_districts_link_through_the_api(
    health_office_staff, municipal_staff
):
    own, other = health_office_staff.district, municipality("いの町").district

    issued = post(client_for(health_office_staff), kind="district", target_id=own.id, label="共有")
    foreign = post(
        client_for(health_office_staff), kind="district", target_id=other.id, label="共有"
    )
    by_municipality = post(
        client_for(municipal_staff), kind="district", target_id=own.id, label="共有"
    )

    assert issued.status_code == 201 and issued.json()["kind"] == "district"
    assert (foreign.status_code, by_municipality.status_code) == (403, 403)
    assert list(Subscription.objects.values_list("district", flat=True)) == [own.id]
