"""Process supervision (issue #19): the job unit stops a cluster gracefully (KillMode=mixed,
TimeoutStopSec longer than the longest task) and a real ``manage.py qcluster`` that gets TERM on
its main process finishes the task in hand and exits within that time; the units keep files
private (UMask=0077) and name their directories. bin/serve's child death: test_stack.py."""

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's [Service] settings: name -> values (a setting may repeat)."""
    values: dict[str, list[str]] = {}
    section = ""
    for line in (DEPLOY / name).read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def seconds(value: str) -> int:
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    return int(match.group(1)) * (60 if match.group(2) == "min" else 1)


def test_the_job_unit_stops_the_main_process_and_waits_longer_than_a_task():
    jobs = unit("sasaeru-jobs@.service")

    assert jobs["KillMode"] == ["mixed"]
    assert jobs["KillSignal"] == ["SIGTERM"]
    assert seconds(jobs["TimeoutStopSec"][0]) > settings.Q_CLUSTER["timeout"]


def test_the_units_keep_files_private_and_make_their_directories():
    for name in ["sasaeru-web.service", "sasaeru-jobs@.service", "sasaeru-backup.service"]:
        assert unit(name)["UMask"] == ["0077"], name
    for name in ["sasaeru-web.service", "sasaeru-jobs@.service"]:
        service = unit(name)
        assert (service["StateDirectory"], service["StateDirectoryMode"]) == (["sasaeru"], ["0700"])
    backup = unit("sasaeru-backup.service")
    assert backup["Environment"] == ["BACKUP_DIR=/var/backups/sasaeru"]
    assert backup["ExecStartPre"] == [
        "+/usr/bin/install -d -m 0700 -o sasaeru -g sasaeru /var/backups/sasaeru"
    ]
    assert backup["ExecStart"] == ["/opt/sasaeru/.venv/bin/python manage.py backup"]


@pytest.mark.slow
def test_term_to_a_cluster_lets_the_task_in_hand_finish_and_the_cluster_exit(
    tmp_path, migrated_sqlite_url
):
    """What systemd does with KillMode=mixed: TERM to the main process only, SIGKILL to what is
    left after TimeoutStopSec (here: the test fails instead)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": migrated_sqlite_url,  # the ORM broker
            "SASAERU_VAR_DIR": str(tmp_path / "var"),
            "Q_WORKERS": "2",
            "PYTHONWARNINGS": "ignore",
        }
    )

    def run(*args) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    job = tmp_path / "job"
    run("-m", "tests.production.stack_script", "slow", str(job), "6")
    log_path = tmp_path / "qcluster.log"
    with open(log_path, "w") as log:
        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for _ in range(240):  # the cluster starts and takes the task
            if Path(f"{job}.started").exists() or cluster.poll() is not None:
                break
            time.sleep(0.5)
        assert Path(f"{job}.started").exists(), log_path.read_text()[-2000:]
        assert not Path(f"{job}.done").exists()

        cluster.send_signal(signal.SIGTERM)  # the main process only
        stop_timeout = seconds(unit("sasaeru-jobs@.service")["TimeoutStopSec"][0])
        returncode = cluster.wait(timeout=stop_timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(cluster.pid, signal.SIGKILL)

    assert returncode == 0
    assert Path(f"{job}.done").read_text() == "done"
    outcome = json.loads(run("-m", "tests.production.stack_script", "slow_result").splitlines()[-1])
    assert outcome == [[True, "finished"]]
    output = log_path.read_text()
    assert "has stopped" in output
