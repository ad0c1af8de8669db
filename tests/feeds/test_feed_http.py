"""Feeds over HTTP: headers, conditional requests, HEAD, secret links, and what a poll costs."""

import datetime as dt
import subprocess

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from feeds import services
from feeds.models import Subscription
from tests.conftest import clear_feed_caches
from tests.feeds.conftest import fetch
from tests.training.factories import EventFactory
from training import services as training
from training.models import Event

pytestmark = pytest.mark.django_db

PUBLIC = "/calendar/trainings.ics"


@pytest.fixture
def link(private_world, center_staff):
    row, raw = services.issue_subscription(
        target=private_world["municipality"], label="ほけん福祉課", issued_by=center_staff
    )
    return row, f"/calendar/s/{raw}.ics"


def test_feed_answers_text_calendar_inline_with_validators(private_world):
    response = Client().get(PUBLIC)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_feed_answers_304_to_its_current_etag(private_world):
    etag = Client().get(PUBLIC)["ETag"]

    response = Client().get(PUBLIC, HTTP_IF_NONE_MATCH=etag)

    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)


def test_feed_answers_304_to_its_last_modified(private_world):
    last_modified = Client().get(PUBLIC)["Last-Modified"]

    response = Client().get(PUBLIC, HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304


def test_feed_answers_200_to_stale_validators(private_world):
    client = Client()

    statuses = [
        client.get(PUBLIC, HTTP_IF_NONE_MATCH='"stale"').status_code,
        client.get(PUBLIC, HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 1970 00:00:00 GMT").status_code,
        client.get(PUBLIC, HTTP_IF_MODIFIED_SINCE="not a date").status_code,
    ]

    assert statuses == [200, 200, 200]


def test_changed_event_changes_the_etag_and_answers_200(private_world, feed_clock):
    etag = Client().get(PUBLIC)["ETag"]

    training.update_event(event=private_world["other_event"], venue="高知城ホール")
    feed_clock.past_the_windows()
    response = Client().get(PUBLIC, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "高知城ホール".encode() in response.content.replace(b"\r\n ", b"")


def test_event_leaving_the_feed_without_a_new_change_time_changes_the_etag(
    private_world, feed_clock
):
    etag = Client().get(PUBLIC)["ETag"]

    Event.objects.filter(pk=private_world["other_event"].pk).update(status=Event.Status.DRAFT)
    feed_clock.past_the_windows()
    response = Client().get(PUBLIC, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert private_world["other_event"].ical_uid.encode() not in response.content


def test_head_answers_the_headers_without_a_body(private_world):
    full = Client().get(PUBLIC)

    response = Client().head(PUBLIC)

    assert (response.status_code, response.content) == (200, b"")
    assert response["Content-Length"] == str(len(full.content))
    assert response["ETag"] == full["ETag"]


def test_post_is_not_allowed(private_world):
    assert Client().post(PUBLIC).status_code == 405


def test_unknown_link_answers_404(db):
    assert Client().get("/calendar/s/not-a-token.ics").status_code == 404


def test_revoked_link_is_dead_at_once(link, center_staff):
    row, url = link
    fetch(url)

    services.revoke_subscription(subscription=row, revoked_by=center_staff)

    assert Client().get(url).status_code == 404
    assert Client().head(url).status_code == 404


def test_fetch_counts_the_access(link, feed_clock):
    row, url = link
    Client().get(url)  # the first fetch of a window is written at once
    Client().get(url, HTTP_IF_NONE_MATCH=Client().get(url)["ETag"])
    row.refresh_from_db()
    written_at_once = row.access_count

    feed_clock.past_the_windows()
    Client().get(url)  # the first fetch of the next window writes the ones before it

    row.refresh_from_db()
    assert (written_at_once, row.access_count) == (1, 4)
    assert timezone.now() - row.last_accessed_at < dt.timedelta(minutes=1)


def test_token_is_stored_only_as_its_hash(link):
    row, url = link
    raw = url.removeprefix("/calendar/s/").removesuffix(".ics")

    assert len(raw) >= 43  # 32 random bytes
    assert Subscription.objects.filter(token_hash__contains=raw).count() == 0
    assert row.token_hash != raw


def test_feed_needs_no_cookie_or_accept_header(link):
    _row, url = link

    response = Client(HTTP_ACCEPT="text/html").get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.cookies == {}


# --- what a poll costs ----------------------------------------------------------------------
# Within a window an unchanged poll needs no query (test_feed_polling.py); these are the polls
# that come after the data version and the fetch-count window have run out.


def test_unchanged_public_feed_costs_one_query(
    private_world, feed_clock, django_assert_num_queries
):
    Client().get(PUBLIC)
    feed_clock.past_the_windows()

    with django_assert_num_queries(1):
        response = Client().get(PUBLIC)

    assert response.status_code == 200


def test_conditional_public_request_costs_one_query(
    private_world, feed_clock, django_assert_num_queries
):
    etag = Client().get(PUBLIC)["ETag"]
    feed_clock.past_the_windows()

    with django_assert_num_queries(1):
        response = Client().get(PUBLIC, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


def test_unchanged_secret_feed_costs_two_queries(link, feed_clock, django_assert_num_queries):
    _row, url = link
    Client().get(url)
    feed_clock.past_the_windows()

    with django_assert_num_queries(2):  # count the accesses, the version
        response = Client().get(url)

    assert response.status_code == 200


def test_conditional_secret_request_costs_two_queries(link, feed_clock, django_assert_num_queries):
    _row, url = link
    first = Client().get(url)
    feed_clock.past_the_windows()

    with django_assert_num_queries(2):
        by_etag = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    feed_clock.past_the_windows()
    with django_assert_num_queries(2):
        by_date = Client().get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (by_etag.status_code, by_date.status_code) == (304, 304)


def test_conditional_request_needs_no_rendering_after_a_cache_loss(link, django_assert_num_queries):
    _row, url = link
    etag = Client().get(url)["ETag"]
    clear_feed_caches()

    with django_assert_num_queries(3):  # count the access, the link's scope, the version
        response = Client().get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304


@pytest.mark.parametrize("events", [1, 20])
def test_first_render_costs_the_same_queries_for_1_and_many_events(
    db, events, django_assert_num_queries
):
    EventFactory.create_batch(events)

    with django_assert_num_queries(3):  # version, item keys, the missing items
        Client().get(PUBLIC)


def test_one_changed_event_renders_only_that_event(
    private_world, feed_clock, django_assert_num_queries
):
    Client().get(PUBLIC)
    training.update_event(event=private_world["other_event"], venue="高知城ホール")
    feed_clock.past_the_windows()

    with django_assert_num_queries(3):  # version, item keys, the one changed event
        response = Client().get(PUBLIC)

    assert response.status_code == 200


def test_last_modified_is_when_the_version_was_first_served(private_world):
    before = timezone.now().replace(microsecond=0)

    response = Client().get(PUBLIC)

    assert response["Last-Modified"] in {
        http_date(before.timestamp()),
        http_date(before.timestamp() + 1),
    }


# --- over a real socket, as calendar apps fetch --------------------------------------------


def test_feeds_pass_ical_check_over_http(feed_server, center_staff, private_world, ical_check_bin):
    _row, raw = services.issue_subscription(
        target=private_world["municipality"], label="共有", issued_by=center_staff
    )

    results = [
        subprocess.run(
            ["bash", str(ical_check_bin), feed_server + url, "--tz", "Asia/Tokyo", "--strict"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        for url in (PUBLIC, f"/calendar/s/{raw}.ics")
    ]

    assert [result.returncode for result in results] == [0, 0], "".join(
        result.stdout for result in results
    )
