"""The subscribe page, the staff page of calendar links, and a registrant's calendar page."""

import re

import pytest
from django.test import Client

from feeds import services
from feeds.models import Subscription
from tests.conftest import client_for
from tests.factories import municipality
from tests.feeds.conftest import REGISTRANT_EMAIL
from tests.training.factories import RegistrationFactory
from training.models import Registration

pytestmark = pytest.mark.django_db


def test_subscribe_page_offers_webcal_and_https_links(db):
    response = Client().get("/calendar/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="webcal://127.0.0.1:8000/calendar/trainings.ics"' in html
    assert 'value="http://127.0.0.1:8000/calendar/trainings.ics"' in html
    assert ["Google" in html, "Outlook" in html, "Apple" in html] == [True, True, True]


def test_links_page_sends_anonymous_to_login_and_outsider_to_404(outsider):
    statuses = [
        Client().get("/calendar/links/").status_code,
        client_for(outsider).get("/calendar/links/").status_code,
    ]

    assert statuses == [302, 404]


def test_staff_issue_a_link_on_the_page_and_see_it_once(center_staff):
    ino = municipality("いの町")

    response = client_for(center_staff).post(
        "/calendar/links/", {"kind": "municipality", "municipality": ino.id, "label": "共有"}
    )

    html = response.content.decode()
    row = Subscription.objects.get()
    token = re.search(r"webcal://127\.0\.0\.1:8000/calendar/s/([\w-]+)\.ics", html).group(1)
    assert response.status_code == 201
    assert (row.municipality, row.label, row.token_hash) == (ino, "共有", row.token_hash)
    assert Client().get(f"/calendar/s/{token}.ics").status_code == 200
    assert token not in client_for(center_staff).get("/calendar/links/").content.decode()


def test_municipal_staff_are_offered_only_their_municipality(municipal_staff):
    response = client_for(municipal_staff).get("/calendar/links/")

    form = response.context["form"]
    assert list(form.fields["municipality"].queryset) == [municipal_staff.municipality]
    assert [value for value, _label in form.fields["kind"].choices] == ["municipality"]


def test_municipal_staff_cannot_post_another_municipality(municipal_staff):
    response = client_for(municipal_staff).post(
        "/calendar/links/",
        {"kind": "municipality", "municipality": municipality("須崎市").id, "label": "x"},
    )

    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert Subscription.objects.count() == 0


def test_staff_revoke_a_link_on_the_page(center_staff):
    row, raw = services.issue_subscription(
        target=municipality("いの町"), label="共有", issued_by=center_staff
    )

    response = client_for(center_staff).post(f"/calendar/links/{row.id}/revoke/")

    assert response.status_code == 302
    assert Client().get(f"/calendar/s/{raw}.ics").status_code == 404


@pytest.mark.parametrize("links", [1, 8])
def test_links_page_costs_the_same_queries_for_1_and_many_links(
    center_staff, links, django_assert_num_queries
):
    for number in range(links):
        services.issue_subscription(
            target=municipality("いの町"), label=f"共有{number}", issued_by=center_staff
        )
    client = client_for(center_staff)

    # 7 (with the districts to choose from), and the 変更履歴 section: its entries and the
    # municipalities they name.
    with django_assert_num_queries(9):
        response = client.get("/calendar/links/")

    assert len(response.context["subscriptions"]) == links


# --- registrants -------------------------------------------------------------------------------


def test_registrant_reaches_the_same_calendar_from_any_management_link(db):
    first = RegistrationFactory(email=REGISTRANT_EMAIL)
    second = RegistrationFactory(email=REGISTRANT_EMAIL)
    response = Client().post(f"/calendar/my/{first.management_token}/", {"label": "スマートフォン"})
    token = re.search(
        r"webcal://127\.0\.0\.1:8000/calendar/s/([\w-]+)\.ics", response.content.decode()
    ).group(1)

    page = Client().get(f"/calendar/my/{second.management_token}/")
    feed = Client().get(f"/calendar/s/{token}.ics").content

    assert [row.label for row in page.context["existing"]] == ["スマートフォン"]
    assert feed.count(b"BEGIN:VEVENT") == 2


def test_management_page_leads_to_the_calendar_of_all_registrations(db):
    registration = RegistrationFactory(email=REGISTRANT_EMAIL)

    html = Client().get(f"/training/r/{registration.management_token}/").content.decode()

    assert f'href="/calendar/my/{registration.management_token}/"' in html


def test_registrant_revokes_their_link(db):
    registration = RegistrationFactory(email=REGISTRANT_EMAIL)
    row, raw = services.issue_registrant_subscription(email=REGISTRANT_EMAIL, label="手帳")

    Client().post(f"/calendar/my/{registration.management_token}/{row.id}/revoke/")

    assert Client().get(f"/calendar/s/{raw}.ics").status_code == 404


def test_registrant_cannot_revoke_someone_elses_link(db):
    registration = RegistrationFactory(email="someone@example.jp")
    row, raw = services.issue_registrant_subscription(email=REGISTRANT_EMAIL, label="手帳")

    response = Client().post(f"/calendar/my/{registration.management_token}/{row.id}/revoke/")

    assert response.status_code == 404
    assert Client().get(f"/calendar/s/{raw}.ics").status_code == 200


def test_unknown_or_unconfirmed_management_link_answers_404(db):
    pending = RegistrationFactory(status=Registration.Status.PENDING, confirmed_at=None)

    statuses = [
        Client().get("/calendar/my/nothing/").status_code,
        Client().get(f"/calendar/my/{pending.management_token}/").status_code,
    ]

    assert statuses == [404, 404]
