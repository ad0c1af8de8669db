"""Shared fixtures: the named personas, an API client per persona, and the browser.

Personas (docs/style.md, "Tests"): a center staff member, a health-office staff member (幡多),
a municipal staff member (いの町), a superuser, and an outsider — logged in, but with no role in
the program — who gets 404 everywhere."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory, district, municipality

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    """Browser tests are also ``slow``; PostgreSQL-only tests (races, the production stack) are
    ``slow`` and ``serial`` (bin/test runs them alone, after the parallel stages)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.serial)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, as ``migrate`` leaves it. Transactional tests (live server, races)
    empty it after them; the flush's ``post_migrate`` then runs the data migrations again
    (tests/data_migrations.py), so every later test finds their rows (the directory, the
    supervision targets, the report channels, the center profile) without Django's
    serialized rollback. No test may ask for that rollback: its restore would insert those
    rows, and the content types, a second time."""
    from django.db.models.signals import post_migrate

    from tests.data_migrations import replay_after_flush

    post_migrate.connect(replay_after_flush, dispatch_uid="tests.replay_after_flush")
    yield
    post_migrate.disconnect(dispatch_uid="tests.replay_after_flush")


@pytest.fixture(scope="session")
def migrated_sqlite(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A SQLite database file as ``manage.py migrate`` leaves it, for the tests that start
    processes of their own on a file database (a qcluster, a job cluster, production settings):
    each takes a copy (``migrated_sqlite_url``). On SQLite it is this process's test database
    (migrated by pytest-django, emptied and refilled by the data migrations after every
    transactional test) written out with SQLite's backup, in milliseconds; on PostgreSQL one
    ``manage.py migrate`` in a new process (seconds of CPU) serves the whole run (on SQLite
    too when no test of the run set up the test database). The
    production ``migrate`` itself is exercised by the stack test (bin/serve) and the log test."""
    from django.db import connection

    path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    with django_db_blocker.unblock():
        # pytest-django sets up the test database only when some test of the run asks for it,
        # so a run of only process-starting tests has none to copy: migrate then, as on PostgreSQL.
        copyable = connection.vendor == "sqlite" and "django_migrations" in (
            connection.introspection.table_names()
        )
        if copyable:
            with contextlib.closing(sqlite3.connect(path)) as copy:
                connection.connection.backup(copy)
    if not copyable:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
            check=True,
            capture_output=True,
            timeout=600,
        )
    return path


@pytest.fixture
def migrated_sqlite_url(migrated_sqlite, tmp_path) -> str:
    """A migrated SQLite database of this test's own (a copy of ``migrated_sqlite``)."""
    target = tmp_path / "migrated.sqlite3"
    shutil.copyfile(migrated_sqlite, target)
    return f"sqlite:///{target}"


@pytest.fixture(autouse=True)
def default_center_profile():
    """Each test starts with the default center's profile in memory (what the migration
    stored), whatever an earlier test changed and rolled back."""
    from directory.center import remember
    from directory.kochi import default_center

    remember(default_center())
    yield
    remember(default_center())


@pytest.fixture(autouse=True)
def fresh_abuse_limits():
    """Every test starts with empty abuse-limit counters (core.limits; a per-process cache)."""
    from django.core.cache import caches

    caches["limits"].clear()


class FeedClock:
    """The clock the feeds' caches read (``time`` in feeds.ical and feeds.links): real time
    plus an offset that a test moves with ``advance``, as if it waited."""

    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def past_the_windows(self) -> None:
        """As a poll after the data version and the fetch-count window have run out."""
        from django.conf import settings

        self.advance(max(settings.FEEDS_VERSION_SECONDS, settings.FEEDS_FETCH_FLUSH_SECONDS) + 1)

    def __getattr__(self, name):
        return getattr(time, name)


def clear_feed_caches() -> None:
    """Forget what this process keeps of feeds: known links, pending fetch counts, versions and
    rendered files (what a new worker process starts with)."""
    from feeds import links
    from feeds.ical import feed_cache, forget_local

    links.pending.clear()
    links.known.clear()
    feed_cache().clear()
    forget_local()


@pytest.fixture(autouse=True)
def feed_clock(monkeypatch):
    """Every test starts with empty feed caches and a feeds' clock it can move: the feeds run
    with their production caching, and a test that changes data and polls again calls
    ``feed_clock.past_the_windows()`` (or ``advance``) instead of sleeping."""
    from feeds import ical, links

    clock = FeedClock()
    monkeypatch.setattr(ical, "time", clock)
    monkeypatch.setattr(links, "time", clock)
    clear_feed_caches()
    yield clock
    clear_feed_caches()


@pytest.fixture
def center_staff(db):
    return UserFactory(username="center", last_name="支援", first_name="花子", role="center")


@pytest.fixture
def health_office_staff(db):
    return UserFactory(username="hata", role="health_office", district=district("幡多"))


@pytest.fixture
def municipal_staff(db):
    return UserFactory(username="ino", role="municipal", municipality=municipality("いの町"))


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(center_staff, health_office_staff, municipal_staff, superuser, outsider):
    return {
        "center": center_staff,
        "health_office": health_office_staff,
        "municipal": municipal_staff,
        "superuser": superuser,
        "outsider": outsider,
    }


# --- browser --------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium(django_db_setup, django_db_blocker):
    """One Debian Chromium, driven by Playwright, for the whole test run. Skipped where Chromium
    is missing, except in CI.

    Started after the test database is set up: while Playwright's sync API is open, its event
    loop counts as running in this thread, so Django's connection handler hands out connection
    objects of their own (asgiref's context-local storage); started before the set-up, they
    would miss the test database's settings. They are closed at the end, so that PostgreSQL's
    test database can be dropped."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def browser(chromium, transactional_db):
    """The run's Chromium, for a test against the live server (a transactional database, so
    the server's thread sees the test's rows). Each test opens its own context."""
    return chromium


VIEWS_CHECKED = {"phone": 0, "desktop": 0}


def open_checked_context(browser, viewport: dict, **options):
    """A browser context in Japanese whose every page load is checked (tests/targets.py):
    tap targets, cards and ISO dates on a phone-sized viewport, ISO dates on the desktop."""
    from tests.targets import install_page_checks

    phone = viewport["width"] <= PHONE["width"]
    if phone:
        options = {"has_touch": True, "is_mobile": True, **options}
    context = browser.new_context(viewport=viewport, locale="ja-JP", **options)
    install_page_checks(context)
    return context


def close_checked_context(context) -> None:
    """Close the context; fail on what the checks found on any page it loaded."""
    from tests.targets import page_check_problems, page_check_views

    views = page_check_views(context)
    context.close()
    for view in views:
        VIEWS_CHECKED["phone" if view.get("phone") else "desktop"] += 1
    problems = page_check_problems(views)
    if problems:
        pytest.fail("page checks (tests/targets.py):\n    " + "\n    ".join(problems))


@contextlib.contextmanager
def checked_context(browser, viewport: dict, **options):
    context = open_checked_context(browser, viewport, **options)
    try:
        yield context
    except BaseException:
        context.close()
        raise
    close_checked_context(context)


@pytest.fixture
def phone_page(browser):
    """A fresh page at a phone-sized viewport, in Japanese; every page it loads is checked
    (tap targets, cards, ISO dates)."""
    context = open_checked_context(browser, PHONE)
    yield context.new_page()
    close_checked_context(context)


@pytest.fixture
def desktop_page(browser):
    """A fresh page at 1280×900, in Japanese; every page it loads is checked for ISO dates."""
    context = open_checked_context(browser, {"width": 1280, "height": 900})
    yield context.new_page()
    close_checked_context(context)


def pytest_terminal_summary(terminalreporter):
    if any(VIEWS_CHECKED.values()):
        terminalreporter.write_line(
            "page checks (tests/targets.py): {phone} phone and {desktop} desktop page loads".format(
                **VIEWS_CHECKED
            )
        )


def log_in(page, live_server, username: str, password: str = "pw") -> None:
    """Log in through the real login form."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
