"""The questionnaire's emails under a real django-q2 cluster (``manage.py qcluster``, ORM
broker, two workers, its own database, as tests/notifications/test_qcluster.py): the planning
job and the sender, each enqueued twice at once, mail every attendee recorded present exactly
once and nobody absent; after one attendee answered, one reminder goes to each of the others
and none to them, however many times the jobs run."""

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

INVITED = [f"trainee{n}@example.jp" for n in range(4)]


@pytest.fixture
def cluster(tmp_path, migrated_template):  # noqa: F811 (the imported fixture)
    url = migrated_copy(tmp_path, migrated_template, "sasaeru_qcluster_surveys")
    cluster = Cluster(tmp_path, url)
    yield cluster
    cluster.stop_all()


def script(cluster, *args) -> str:
    return cluster.run("-m", "tests.surveys.cluster_script", *args)


def rows(cluster, kind: str, state: str | None = None) -> list:
    found = json.loads(script(cluster, "state"))
    return [r for r in found if r[0] == kind and (state is None or r[2] == state)]


def test_invitations_once_and_one_reminder_to_non_respondents(cluster):
    script(cluster, "seed")
    process = cluster.start(workers=2)

    script(cluster, "plan", "2")
    wait_for(
        lambda: len(rows(cluster, "surveys.invitation")) == 4,
        timeout=120,
        what="the invitations to be planned",
        cluster=cluster,
    )
    script(cluster, "send", "2")
    invited = wait_for(
        lambda: len(r := rows(cluster, "surveys.invitation", "sent")) == 4 and r,
        timeout=120,
        what="the invitations to be sent",
        cluster=cluster,
    )
    script(cluster, "answer")
    script(cluster, "shift")
    script(cluster, "plan", "2")
    wait_for(
        lambda: len(rows(cluster, "surveys.reminder", "pending")) == 3,
        timeout=120,
        what="the reminders to be planned",
        cluster=cluster,
    )
    script(cluster, "send", "2")
    reminded = wait_for(
        lambda: len(r := rows(cluster, "surveys.reminder", "sent")) == 3 and r,
        timeout=120,
        what="the reminders to be sent",
        cluster=cluster,
    )
    script(cluster, "send", "2")
    script(cluster, "plan", "1")
    cluster.kill(process, signal.SIGTERM)

    assert sorted(r[1] for r in invited) == INVITED
    assert sorted(r[1] for r in reminded) == INVITED[1:]
    sent = cluster.sent_dispatch_ids()
    assert len(sent) == 7 and set(sent.values()) == {1}
    # The reminders planned at first (eleven days on) were withdrawn when the links moved.
    assert sorted(r[1:] for r in rows(cluster, "surveys.reminder")) == sorted(
        [
            *([address, "cancelled"] for address in INVITED),
            *([address, "sent"] for address in INVITED[1:]),
        ]
    )
