"""The erasure under a real django-q2 cluster (``manage.py qcluster``, ORM broker, its own file
SQLite or PostgreSQL database, as tests/notifications/test_qcluster.py): the schedule that
``sync_schedules`` registers runs the job, which erases the rows past their period; two more
runs at once with two workers erase nothing twice and write no second audit entry."""

import json
import signal

import pytest

from tests.notifications.test_qcluster import (  # noqa: F401 (a fixture)
    Cluster,
    migrated_copy,
    migrated_template,
    wait_for,
)

# serial: the cluster's own PostgreSQL database has a fixed name
pytestmark = [pytest.mark.slow, pytest.mark.serial]


@pytest.fixture
def cluster(tmp_path, migrated_template):  # noqa: F811 (the imported fixture)
    url = migrated_copy(tmp_path, migrated_template, "sasaeru_qcluster_privacy")
    cluster = Cluster(tmp_path, url)
    yield cluster
    cluster.stop_all()


def state(cluster) -> dict:
    return json.loads(cluster.run("-m", "tests.privacy.cluster_script", "state"))


def results_of(cluster) -> list:
    return json.loads(cluster.run("-m", "tests.privacy.cluster_script", "results"))


def test_the_scheduled_job_erases_under_a_real_cluster_once(cluster):
    cluster.run("-m", "tests.privacy.cluster_script", "seed", "30")
    assert state(cluster)["left"] == 60
    cluster.run("manage.py", "sync_schedules")  # new schedules are due at once

    process = cluster.start(workers=2)
    first = wait_for(
        lambda: (s := state(cluster))["audit"] == 1 and s,
        timeout=120,
        what="the scheduled erasure to run",
        cluster=cluster,
    )
    cluster.run("-m", "tests.privacy.cluster_script", "enqueue", "2")
    results = wait_for(
        lambda: len(r := results_of(cluster)) == 3 and r,
        timeout=120,
        what="the two extra runs to finish",
        cluster=cluster,
    )
    cluster.kill(process, signal.SIGTERM)
    after = state(cluster)

    assert first["left"] == 0
    assert first["runs"] == [[{"registrations": 30, "roster_entries": 30}, True]]
    assert after == first
    assert sorted(results) == sorted(
        [
            [True, "{'registrations': 30, 'roster_entries': 30}"],
            [True, "nothing due"],
            [True, "nothing due"],
        ]
    )
