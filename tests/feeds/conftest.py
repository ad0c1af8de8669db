"""Fixtures for the feeds: rows that carry every kind of private field, and a helper that runs
the shared ical_check on a feed a test wrote. The clean feed caches and the feeds' clock are
tests/conftest.py's (``feed_clock``)."""

import datetime as dt
import os
import subprocess
import threading
from pathlib import Path

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import close_old_connections, connections
from django.test import Client
from django.utils import timezone

from core.fiscal import TOKYO
from supervision.models import Visit
from tests.factories import UserFactory, municipality
from tests.supervision.conftest import target
from tests.supervision.factories import VisitFactory
from tests.training.factories import EventFactory, RegistrationFactory
from training.models import Audience, Event, Registration

ROOT = Path(__file__).resolve().parents[2]
# The shared checker next to the repository, or where ICAL_CHECK points (its folder or its
# ``run`` script); nothing else.
ICAL_CHECK = Path(os.environ.get("ICAL_CHECK") or ROOT / ".." / "shared" / "tools" / "ical_check")

# Private facts the test rows carry; none may appear in any feed.
JOIN_URL = "https://meet.example.jp/j/secret-join-4242"
CONFIDENTIAL = "機密メモ：本人 山田太郎さんの状況"
SUPPORTED_PERSON = "山田太郎"
CANCEL_REASON = "本人 山田太郎さんの体調不良"
REGISTRANT_NAME = "受講 秘密子"
REGISTRANT_EMAIL = "himitsu@example.jp"
PRIVATE = [JOIN_URL, "secret-join", CONFIDENTIAL, SUPPORTED_PERSON, REGISTRANT_NAME]


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=TOKYO)


def in_days(days: int, hour: int = 10) -> dt.datetime:
    now = dt.datetime.now(TOKYO)
    return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def ical_check_path() -> Path | None:
    path = ICAL_CHECK / "run" if ICAL_CHECK.is_dir() else ICAL_CHECK
    return path.resolve() if path.exists() else None


@pytest.fixture
def ical_check_bin() -> Path:
    """The shared checker. Fails in CI when it is missing, skips elsewhere."""
    path = ical_check_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"ical_check is missing at {ICAL_CHECK}")
        pytest.skip("ical_check is not available next to the repository")
    return path


@pytest.fixture
def ical_check(tmp_path, ical_check_bin):
    """Run the shared checker on feed bytes (and an optional previous version)."""
    path = ical_check_bin

    def run(body: bytes, previous: bytes | None = None, name: str = "feed") -> str:
        feed = tmp_path / f"{name}.ics"
        feed.write_bytes(body)
        args = ["bash", str(path), str(feed), "--tz", "Asia/Tokyo"]
        if previous is not None:
            old = tmp_path / f"{name}-previous.ics"
            old.write_bytes(previous)
            args += ["--previous", str(old)]
        result = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(db):
    """The application on a real socket, for ical_check's HTTP checks, without a transactional
    database (no flush and no reload of the migrations' rows after each test): one server
    thread uses this test's connection, so it sees the test's rows, while the test waits for
    the checker."""
    main = connections["default"]
    server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())

    def run():
        connections["default"] = main
        server.serve_forever(poll_interval=0.05)

    main.inc_thread_sharing()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        main.dec_thread_sharing()


def fetch(url: str, **headers) -> bytes:
    response = Client().get(url, **headers)
    assert response.status_code == 200, response.status_code
    return response.content


@pytest.fixture
def private_world(db, center_staff):
    """Every feed type's rows, each carrying private fields: a public online training with a
    join link, a liaison meeting of いの町's block, visits to いの町 with confidential notes and
    a cancelled one with a reason naming the supported person, and registrations."""
    ino = municipality("いの町")
    online = EventFactory(
        title="オンライン講義『ひきこもりケースのアセスメント』",
        kind=Event.Kind.ONLINE_LECTURE,
        venue="",
        join_url=JOIN_URL,
        description=f"参加方法はメールで。{JOIN_URL}",
        starts_at=in_days(10, 13),
        ends_at=in_days(10, 15),
        audiences=[Audience.MUNICIPAL, Audience.MEDICAL],
    )
    online.staff.set([center_staff])
    meeting = EventFactory(
        title=f"{ino.block.name}ブロック ひきこもり支援者連絡会議",
        kind=Event.Kind.LIAISON_MEETING,
        block=ino.block,
        audiences=[],
        starts_at=in_days(20, 13),
        ends_at=in_days(20, 16),
    )
    visit = VisitFactory(
        target=target("いの町"),
        starts_at=at(in_days(5).date().isoformat()),
        kind="case_meeting",
        place="いの町役場 会議室",
        public_summary="ケース会議に同席し助言",
        confidential_notes=CONFIDENTIAL,
    )
    visit.staff.set([center_staff])
    cancelled = VisitFactory(
        target=target("いの町"),
        starts_at=at(in_days(6).date().isoformat()),
        status="cancelled",
        cancel_reason=CANCEL_REASON,
        confidential_notes=CONFIDENTIAL,
        cancelled_at=dt.datetime.now(TOKYO),
        sequence=1,
    )
    mine = RegistrationFactory(event=online, name=REGISTRANT_NAME, email=REGISTRANT_EMAIL)
    other = EventFactory(title="講義『ひきこもりに関する理解と支援』", starts_at=in_days(30))
    waiting = RegistrationFactory(
        event=other,
        name=REGISTRANT_NAME,
        email=REGISTRANT_EMAIL,
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(event=online, name="他人 花子", email="other@example.jp")
    # Made an hour ago, so that a change in the test gets a later LAST-MODIFIED (iCalendar
    # times have whole seconds).
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Event.objects.update(updated_at=an_hour_ago, published_at=an_hour_ago)
    Visit.objects.update(updated_at=an_hour_ago)
    return {
        "municipality": ino,
        "online": online,
        "meeting": meeting,
        "visit": visit,
        "cancelled_visit": cancelled,
        "registration": mine,
        "waiting": waiting,
        "other_event": other,
        "staff": center_staff,
    }


@pytest.fixture
def staff_member(db):
    return UserFactory(username="center2", role="center")
