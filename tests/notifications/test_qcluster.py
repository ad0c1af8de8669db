"""The sender under a real django-q2 cluster (``manage.py qcluster``, ORM broker) in separate
processes, against a file SQLite database (or a PostgreSQL database next to pytest's own when
DATABASE_URL points at PostgreSQL):

- a worker killed between claiming and sending loses nothing: the next cluster takes the rows
  back after their lease and sends each exactly once;
- two workers running the job at once send every message exactly once.

Every wait has a deadline and every process started here is killed at the end by its group id.
"""

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10  # seconds: the cluster's task timeout (cluster_settings.py)
LEASE = 12  # seconds; longer than the task timeout (a system check refuses otherwise)
# The crash test waits for the dead worker's lease to run out: a short task timeout and lease
# (its five messages render in well under a second) keep that wait at 5 s instead of 13 s.
CRASH_TIMEOUT, CRASH_LEASE = 3, 4

# serial: the clusters' own PostgreSQL database has a fixed name
pytestmark = [pytest.mark.slow, pytest.mark.serial]


def postgres_url(name: str, template: str | None = None) -> str | None:
    """A throw-away PostgreSQL database next to pytest's (a copy of ``template`` when given),
    when the suite runs on PostgreSQL."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return None
    import psycopg

    admin = psycopg.connect(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{template}"' if template else ""
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{name}"
    )


class Cluster:
    """Runs manage.py commands and qclusters with their own settings and database."""

    def __init__(self, tmp_path: Path, database_url: str, *, timeout=TIMEOUT, lease=LEASE):
        self.dir = tmp_path
        self.url = database_url
        self.mail = tmp_path / "mail"
        self.mail.mkdir()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.cluster_settings",
            "DATABASE_URL": database_url,
            "EMAIL_FILE_PATH": str(self.mail),
            "NOTIFICATIONS_SENDING_LEASE": str(lease),
            "Q_TIMEOUT": str(timeout),
            "CRASHTEST_DIR": str(tmp_path),
            "CRASHTEST_HANG": "0",
            "PYTHONWARNINGS": "ignore",
        }
        self.lease = lease
        self.processes: list[subprocess.Popen] = []

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def script(self, *args: str) -> str:
        return self.run("-m", "tests.notifications.cluster_script", *args)

    def query(self, sql: str) -> list[list]:
        """Rows read straight from the clusters' database (polled often: no process to start)."""
        if self.url.startswith("sqlite:///"):
            with contextlib.closing(
                sqlite3.connect(self.url[len("sqlite:///") :], timeout=30)
            ) as db:
                return [list(row) for row in db.execute(sql)]
        import psycopg

        with psycopg.connect(self.url) as db:
            return [list(row) for row in db.execute(sql)]

    def states(self) -> list[list]:
        """Each message's [recipient, state, attempts]."""
        return self.query(
            "SELECT recipient, state, attempts FROM notifications_dispatch ORDER BY id"
        )

    def leases_over(self) -> bool:
        """Every message in "sending" was claimed longer than the lease ago, so a cluster may
        take it back (SQLite keeps the time as UTC text, PostgreSQL as an aware datetime)."""
        now = dt.datetime.now(dt.UTC)
        for (claimed,) in self.query(
            "SELECT claimed_at FROM notifications_dispatch WHERE state = 'sending'"
        ):
            if isinstance(claimed, str):
                claimed = dt.datetime.fromisoformat(claimed).replace(tzinfo=dt.UTC)
            if now - claimed <= dt.timedelta(seconds=self.lease):
                return False
        return True

    def start(self, *, hang: bool = False, workers: int = 1) -> subprocess.Popen:
        env = {**self.env, "CRASHTEST_HANG": "1" if hang else "0", "Q_WORKERS": str(workers)}
        log = open(self.dir / f"qcluster-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole below
        )
        process.log_file = log
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen, sig=signal.SIGKILL) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)
        process.log_file.close()

    def stop_all(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                self.kill(process)

    def sent_dispatch_ids(self) -> Counter:
        text = "".join(path.read_text() for path in self.mail.glob("*.log"))
        return Counter(int(match) for match in re.findall(r"X-Sasaeru-Dispatch: (\d+)", text))

    def log(self) -> str:
        return "\n".join(path.read_text()[-2000:] for path in self.dir.glob("qcluster-*.log"))


def wait_for(condition, *, timeout: float, what: str, cluster: Cluster):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}\n{cluster.log()}")


@pytest.fixture(scope="session")
def migrated_template(request, tmp_path_factory) -> Path | None:
    """The clusters' database, migrated once for both tests (a migrate in a new process takes
    many seconds): on SQLite the run's migrated file (tests/conftest.py ``migrated_sqlite``)
    that each test copies, or on PostgreSQL a database that each test's is created from
    (None)."""
    url = postgres_url("sasaeru_qcluster_template")
    if url is None:
        return request.getfixturevalue("migrated_sqlite")
    Cluster(tmp_path_factory.mktemp("cluster-template"), url).run(
        "manage.py", "migrate", "--no-input", "-v0"
    )
    return None


def migrated_copy(tmp_path: Path, template: Path | None, name: str) -> str:
    """A migrated database for one test's clusters, copied from ``migrated_template``: the
    SQLite file, or on PostgreSQL a database ``name`` created from the template."""
    if template is None:
        return postgres_url(name, template="sasaeru_qcluster_template")
    shutil.copyfile(template, tmp_path / "db.sqlite3")
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


@pytest.fixture
def cluster(request, tmp_path, migrated_template):
    url = migrated_copy(tmp_path, migrated_template, "sasaeru_qcluster_test")
    cluster = Cluster(tmp_path, url, **getattr(request, "param", {}))
    yield cluster
    cluster.stop_all()


@pytest.mark.parametrize(
    "cluster", [{"timeout": CRASH_TIMEOUT, "lease": CRASH_LEASE}], indirect=True, ids=["short"]
)
def test_a_worker_killed_between_claim_and_send_loses_no_message(cluster):
    cluster.script("seed", "5")
    first = cluster.start(hang=True)
    cluster.script("enqueue", "1")
    wait_for(
        lambda: list(cluster.dir.glob("rendering-*")),
        timeout=60,
        what="the worker to claim and start rendering",
        cluster=cluster,
    )

    cluster.kill(first)  # SIGKILL to the whole cluster: no chance to clean up
    after_kill = cluster.states()
    second = cluster.start()  # starting up while the dead worker's claim is still leased
    wait_for(
        cluster.leases_over,
        timeout=cluster.lease + 30,
        what="the lease of the dead worker's claim to run out",
        cluster=cluster,
    )
    cluster.script("enqueue", "1")
    wait_for(
        lambda: all(state == "sent" for _, state, _ in cluster.states()),
        timeout=90,
        what="the next cluster to send the taken-back messages",
        cluster=cluster,
    )
    cluster.kill(second, signal.SIGTERM)

    assert [state for _, state, _ in after_kill] == ["sending"] * 5
    assert sorted(cluster.sent_dispatch_ids().values()) == [1] * 5
    assert [attempts for _, _, attempts in cluster.states()] == [2] * 5


def test_two_workers_at_once_send_every_message_exactly_once(cluster):
    cluster.script("seed", "120")
    process = cluster.start(workers=2)

    cluster.script("enqueue", "4")  # four runs of the job, two at a time, 20 rows per claim
    wait_for(
        lambda: all(state == "sent" for _, state, _ in cluster.states()),
        timeout=120,
        what="all 120 messages to be sent",
        cluster=cluster,
    )
    cluster.kill(process, signal.SIGTERM)

    sent = cluster.sent_dispatch_ids()
    assert (len(sent), set(sent.values())) == (120, {1})
