"""Private caching (issue #19): every response to a logged-in user or a token-authenticated
request (pages, API, exports) and every page reached by a token answers
``Cache-Control: private, no-store``; a secret link's calendar feed is ``private, no-cache`` with
its ETag (304 to a calendar app that holds the version); public pages and the public feed stay
cacheable. The crawl follows every link of the demo data's staff pages and fetches every GET
path of the API's schema, by session and by API token."""

import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from directory.models import User
from directory.services import issue_api_token
from tests.production.test_headers import token_urls

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINK = re.compile(r'(?:href|action)="([^"#]+)"')
SKIP = ("/logout/", "/i18n/", "/static/", "/admin/")
PAGES_AT_MOST = 400


def is_private_no_store(response) -> bool:
    words = {word.strip() for word in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= words


def crawl(client: Client) -> dict[str, int]:
    """Every same-site URL reachable from the home page (GET), with its status."""
    seen: dict[str, int] = {}
    wrong: list[str] = []
    queue = deque(["/", "/admin/"])
    while queue and len(seen) < PAGES_AT_MOST:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if not is_private_no_store(response):
            wrong.append(f"{url}: {response.get('Cache-Control')!r}")
        if "html" not in response.get("Content-Type", ""):
            continue
        for found in LINK.findall(response.content.decode()):
            target = urljoin(url, found.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (target.startswith(SKIP) and target != "/admin/") or target in seen:
                continue
            queue.append(target)
    assert wrong == []
    return seen


def api_get_paths(client: Client) -> list[str]:
    schema = client.get("/api/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            paths.append(re.sub(r"\{[^}]+\}", "1", path))
    return paths


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return User.objects.get(username="center")


def test_every_staff_page_and_export_is_private_and_not_stored(demo):
    client = Client()
    client.force_login(demo)

    seen = crawl(client)

    # the pages the review named, and the kinds of page a crawl must have reached
    assert {"/outbox/", "/supervision/", "/training/staff/", "/account/tokens/"} <= set(seen)
    assert any(url.endswith(".csv") for url in seen)
    assert len(seen) > 80


@pytest.mark.parametrize("username", ["center", "ino", "hata"])
def test_every_api_answer_by_session_or_token_is_private_and_not_stored(demo, username):
    person = User.objects.get(username=username)
    session = Client()
    session.force_login(person)
    _token, raw = issue_api_token(user=person, label="crawl")
    bearer = Client(headers={"authorization": f"Bearer {raw}"})
    paths = api_get_paths(session)
    wrong = []

    for path in paths:
        for how, client in (("session", session), ("token", bearer)):
            response = client.get(path)
            if not is_private_no_store(response):
                wrong.append(f"{how} {path} {response.status_code}")

    assert "/api/supervision/visits" in paths and "/api/audit" in paths
    assert wrong == []


def test_every_token_url_is_private_and_not_stored_but_a_feed_revalidates(center_staff):
    urls = token_urls(center_staff)
    wrong = []

    for url in urls:
        response = Client().get(url)
        if url.startswith("/calendar/s/"):
            words = {word.strip() for word in response["Cache-Control"].split(",")}
            assert {"private", "no-cache"} <= words and "no-store" not in words
            again = Client().get(url, headers={"if-none-match": response["ETag"]})
            assert again.status_code == 304
            assert "private" in again["Cache-Control"]
        elif not is_private_no_store(response):
            wrong.append(url)

    assert wrong == []


def test_public_pages_and_the_public_feed_stay_cacheable():
    for url in ["/", "/training/", "/calendar/trainings.ics"]:
        response = Client().get(url)
        assert "no-store" not in response.get("Cache-Control", ""), url
    assert "public" in Client().get("/calendar/trainings.ics")["Cache-Control"]
