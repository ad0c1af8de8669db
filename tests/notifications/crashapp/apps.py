"""A message kind for the qcluster crash test: its render announces itself with a marker file
and, while CRASHTEST_HANG is 1, hangs there so the test can kill the worker after the claim
and before the send. Installed only by tests/notifications/cluster_settings.py."""

import os
import time
from pathlib import Path

from django.apps import AppConfig
from django.core.mail import EmailMessage


def render_slow(dispatch) -> EmailMessage:
    Path(os.environ["CRASHTEST_DIR"], f"rendering-{dispatch.pk}").touch()
    if os.environ.get("CRASHTEST_HANG") == "1":
        time.sleep(600)
    return EmailMessage(subject=f"crash test {dispatch.pk}", body="本文")


class CrashTestConfig(AppConfig):
    name = "tests.notifications.crashapp"
    label = "crashtest"

    def ready(self):
        from notifications.registry import MessageKind, register

        register(MessageKind(code="crashtest.slow", render=render_slow))
