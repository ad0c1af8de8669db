"""A job that takes its time, for the cluster-stop test (test_supervision.py): it writes
``<path>.started``, sleeps, then writes ``<path>.done``."""

import time
from pathlib import Path


def take_time(path: str, seconds: float) -> str:
    Path(f"{path}.started").write_text("started")
    time.sleep(seconds)
    Path(f"{path}.done").write_text("done")
    return "finished"
