"""Hardening headers: Content-Security-Policy on every page (and templates that rely on no
inline script or style), HSTS on secure requests when DEBUG is off, and pages and files reached
by a token neither cached nor leaking their URL as a referrer."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from feeds.services import issue_subscription
from tests.factories import municipality
from tests.training.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_every_page_has_a_content_security_policy_without_inline_code(center_staff):
    client = Client()
    client.force_login(center_staff)
    for path in ["/", "/training/", "/supervision/", "/login/"]:
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'", path


def test_hsts_on_secure_requests_when_debug_is_off():
    assert settings.DEBUG is False
    response = Client().get("/training/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


INLINE = [
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def project_templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" not in path.parts and "node_modules" not in path.parts:
            yield path


def test_no_template_relies_on_inline_script_or_style():
    """The policy allows scripts and styles from files only: put behaviour in static/js/app.js
    (data attributes) and looks in static/css/app.css. JSON data blocks
    (<script type="application/json">) are allowed: they do not run."""
    found = []
    for path in project_templates():
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                if what == "inline <script>" and "application/json" in match.group(0):
                    continue
                found.append(f"{path.relative_to(ROOT)}: {what}")
    assert found == []


def token_urls(center_staff):
    registration = RegistrationFactory()
    pending = RegistrationFactory(status="pending_confirmation", confirmed_at=None)
    pending.set_secrets(needs_confirmation=True, now=pending.created_at)
    pending.save()
    _, feed_token = issue_subscription(
        target=municipality("いの町"), label="いの町", issued_by=center_staff
    )
    manage = registration.management_token
    return [
        f"/training/r/{manage}/",
        f"/training/r/{manage}/event.ics",
        f"/training/confirm/{pending.confirmation_token}/",
        f"/calendar/my/{manage}/",
        f"/calendar/s/{feed_token}.ics",
        f"/attendance/certificate/{manage}/",
        "/training/r/not-a-token/",
    ]


def test_pages_and_files_reached_by_a_token_are_not_stored_and_send_no_referrer(center_staff):
    answers = {}
    for url in token_urls(center_staff):
        response = Client().get(url)
        answers[url] = (
            response.status_code in (200, 404),
            "no-store" in response.get("Cache-Control", ""),
            "max-age=0" in response.get("Cache-Control", ""),
            response.get("Referrer-Policy"),
        )
    feeds = {url for url in answers if url.startswith("/calendar/s/")}
    assert {url: answers[url] for url in answers if url not in feeds} == {
        url: (True, True, True, "no-referrer") for url in answers if url not in feeds
    }
    # A secret link's feed: private and revalidated with its ETag (core/middleware.py).
    assert {url: answers[url] for url in feeds} == {
        url: (True, False, False, "no-referrer") for url in feeds
    }


def test_other_pages_keep_the_site_referrer_policy():
    assert Client().get("/training/")["Referrer-Policy"] == "same-origin"
