"""Calendar links: nobody issues a feed with items they may not see, a staff member's own link
dies with their account or role, and links of a municipality or block outlive their issuer but
are marked 「発行者が無効」 for center staff to review."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from directory.models import Block
from feeds.models import Subscription
from feeds.services import issue_subscription
from tests.conftest import client_for
from tests.factories import UserFactory, district, municipality

pytestmark = pytest.mark.django_db


def issue(client, **payload):
    return client.post("/api/feeds/subscriptions", payload, content_type="application/json")


def test_health_office_staff_cannot_issue_a_block_feed_with_visits_outside_their_district(
    health_office_staff, center_staff
):
    """幡多 lies in 西部, which also holds 須崎市 (not 幡多's): its block feed would carry visits
    that 幡多's staff get 404 for everywhere else."""
    west = municipality("四万十市").block
    assert municipality("須崎市").block_id == west.pk

    refused = issue(client_for(health_office_staff), kind="block", target_id=west.pk, label="x")
    page = client_for(health_office_staff).get("/calendar/links/").content.decode()
    allowed = issue(client_for(center_staff), kind="block", target_id=west.pk, label="y")

    assert (refused.status_code, allowed.status_code) == (403, 201)
    assert 'value="block"' not in page


def test_block_links_that_health_office_staff_issued_before_are_revoked(health_office_staff):
    west = municipality("四万十市").block
    theirs, _ = issue_subscription(target=west, label="旧", issued_by=health_office_staff)
    Subscription.objects.filter(pk=theirs.pk).update(created_by=health_office_staff)
    center = UserFactory(username="c2", role="center")
    centers, _ = issue_subscription(target=west, label="センター", issued_by=center)
    migration = importlib.import_module("feeds.migrations.0002_revoke_block_links_beyond_scope")

    migration.revoke(apps, None)

    theirs.refresh_from_db()
    centers.refresh_from_db()
    assert (theirs.revoked_at is not None, centers.revoked_at is None) == (True, True)


def staff_link(user, issued_by):
    _, raw = issue_subscription(target=user, label="自分", issued_by=issued_by)
    return f"/calendar/s/{raw}.ics"


def test_a_staff_members_link_dies_when_they_are_deactivated(center_staff):
    person = UserFactory(username="leaving", role="health_office", district=district("幡多"))
    url = staff_link(person, person)
    before = Client().get(url).status_code

    person.is_active = False
    person.save()

    assert (before, Client().get(url).status_code) == (200, 404)


def test_a_staff_members_link_dies_when_they_lose_their_role(center_staff):
    person = UserFactory(username="moved", role="center")
    url = staff_link(person, center_staff)
    before = Client().get(url).status_code

    person.role = ""
    person.save()

    assert (before, Client().get(url).status_code) == (200, 404)
    page = client_for(center_staff).get("/calendar/links/").content.decode()
    assert "停止中（本人が無効）" in page


def test_municipality_and_block_links_outlive_their_issuer_and_are_marked(center_staff):
    issuer = UserFactory(username="retired", role="center")
    _, town = issue_subscription(target=municipality("いの町"), label="町", issued_by=issuer)
    _, block = issue_subscription(target=Block.objects.first(), label="ブロック", issued_by=issuer)

    issuer.is_active = False
    issuer.save()

    assert Client().get(f"/calendar/s/{town}.ics").status_code == 200
    assert Client().get(f"/calendar/s/{block}.ics").status_code == 200
    page = client_for(center_staff).get("/calendar/links/").content.decode()
    assert page.count("発行者が無効") == 2
