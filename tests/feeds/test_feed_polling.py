"""Polling at scale (feeds/links.py): with the data version kept in the cache and fetch counts
written once per window (the production settings, which every test runs with), an unchanged
feed's poll needs no query, yet a revoked link and a deactivated person's link are dead at once
and no fetch goes uncounted. Time passes by ``feed_clock`` (tests/conftest.py), not by sleeping."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from feeds import links, services
from feeds.ical import feed_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(private_world, center_staff):
    row, raw = services.issue_subscription(
        target=private_world["municipality"], label="ほけん福祉課", issued_by=center_staff
    )
    return row, f"/calendar/s/{raw}.ics"


def test_unchanged_poll_needs_no_query(link, django_assert_num_queries):
    _row, url = link
    first = Client().get(url)

    with django_assert_num_queries(0):
        again = Client().get(url)
        not_modified = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, not_modified.status_code) == (200, 304)
    assert again.content == first.content


def test_fetches_are_counted_once_per_window(feed_clock, link):
    row, url = link
    for _ in range(3):
        Client().get(url)
    row.refresh_from_db()
    assert row.access_count == 1  # the first fetch opened the window
    first_seen = row.last_accessed_at

    feed_clock.advance(settings.FEEDS_FETCH_FLUSH_SECONDS)
    Client().get(url)

    row.refresh_from_db()
    assert row.access_count == 4
    assert row.last_accessed_at > first_seen


def test_revoked_link_is_dead_at_once(link, center_staff):
    row, url = link
    assert Client().get(url).status_code == 200

    services.revoke_subscription(subscription=row, revoked_by=center_staff)

    assert Client().get(url).status_code == 404


def test_staff_link_dies_with_its_person_at_once(center_staff):
    person = UserFactory(username="leaving", role="center")
    _row, raw = services.issue_subscription(target=person, label="自分", issued_by=center_staff)
    url = f"/calendar/s/{raw}.ics"
    assert Client().get(url).status_code == 200

    person.is_active = False
    person.save()

    assert Client().get(url).status_code == 404


def test_link_revoked_behind_the_services_back_dies_within_a_window(feed_clock, link):
    row, url = link
    assert Client().get(url).status_code == 200
    type(row).objects.filter(pk=row.pk).delete()

    feed_clock.advance(settings.FEEDS_FETCH_FLUSH_SECONDS)

    assert Client().get(url).status_code == 404


def test_link_revoked_in_another_process_dies_here_within_the_check(feed_clock, link):
    """Another process revoked the link: it deleted the shared entry and moved the revocation
    epoch, but this process's own memory of the link was not touched."""
    row, url = link
    assert Client().get(url).status_code == 200
    type(row).objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    feed_cache().delete(links.link_key(row.token_hash))
    feed_cache().set(links.EPOCH_KEY, "moved by another process", None)

    feed_clock.advance(links.REVOCATION_CHECK_SECONDS)

    assert Client().get(url).status_code == 404


def test_a_stopping_worker_writes_its_counts(link):
    row, url = link
    for _ in range(4):
        Client().get(url)  # the first is written at once, three wait in this process

    links.write_pending()  # what deploy/gunicorn.conf.py's worker_exit does

    row.refresh_from_db()
    assert row.access_count == 4


def test_one_write_counts_every_link_and_forgets_the_dead_ones(
    feed_clock, private_world, center_staff, django_assert_num_queries
):
    rows, urls = [], []
    for n in range(3):
        row, raw = services.issue_subscription(
            target=private_world["municipality"], label=f"課{n}", issued_by=center_staff
        )
        rows.append(row)
        urls.append(f"/calendar/s/{raw}.ics")
    for url in urls * 2:
        Client().get(url)  # the very first fetch writes at once (its own count); five wait
    type(rows[2]).objects.filter(pk=rows[2].pk).update(revoked_at=timezone.now())
    feed_clock.advance(settings.FEEDS_FETCH_FLUSH_SECONDS)

    with django_assert_num_queries(2):  # one UPDATE for every link, then which are live
        links.write_pending()

    counts = [type(row).objects.get(pk=row.pk).access_count for row in rows]
    assert counts == [2, 2, 0]  # the revoked link's fetches are not written
    assert Client().get(urls[0]).status_code == 200
    assert Client().get(urls[2]).status_code == 404  # forgotten: asked the database again


# --- the embedded default (no Redis: the feeds cache is local memory, what bin/run serves) ---


def test_the_tests_run_on_the_embedded_default():
    assert settings.CACHES["feeds"]["BACKEND"].endswith("LocMemCache")


def test_unchanged_public_poll_needs_no_query(private_world, django_assert_num_queries):
    first = Client().get("/calendar/trainings.ics")

    with django_assert_num_queries(0):
        again = Client().get("/calendar/trainings.ics")
        not_modified = Client().get("/calendar/trainings.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, not_modified.status_code) == (200, 304)
    assert again.content == first.content


def test_a_staff_members_link_costs_one_query_a_poll(
    private_world, center_staff, django_assert_num_queries
):
    _row, raw = services.issue_subscription(
        target=center_staff, label="自分", issued_by=center_staff
    )
    url = f"/calendar/s/{raw}.ics"
    first = Client().get(url)

    with django_assert_num_queries(1):  # is the person still live
        again = Client().get(url)
    with django_assert_num_queries(1):
        not_modified = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert (again.status_code, not_modified.status_code) == (200, 304)
    assert again.content == first.content


def test_a_staff_members_link_dies_when_the_person_loses_the_role(private_world, center_staff):
    person = UserFactory(username="moving", role="center")
    _row, raw = services.issue_subscription(target=person, label="自分", issued_by=center_staff)
    url = f"/calendar/s/{raw}.ics"
    assert Client().get(url).status_code == 200

    person.role = ""
    person.save()
    gone = Client().get(url).status_code
    person.is_superuser = True  # a superuser without a role is center staff
    person.save()

    assert (gone, Client().get(url).status_code) == (404, 200)
