"""Benchmark of 「QRで受付」 (issue 25). Rerunnable; prints, never asserts.

97 confirmed trainees (the seed's larger lecture); Chromium (Debian's /usr/bin/chromium) at a
phone's viewport reads their codes one after another through its fake camera, a Y4M video made
here (tests/attendance/camera.py: each code held 1.5 s after 0.5 s of empty page, 10 frames a
second), from Django's runserver on a SQLite database in a temporary directory.

For each code: the time from the code in view to the answer shown on the page. "In view" is
the moment its first frame was shown: the page notes when the camera's first frame was shown
(requestVideoFrameCallback) and the code's first frame comes ``frame / fps`` later (the fake
camera plays the file in real time; a frame's error, 0.1 s, either way). "Shown" is when the
page put the answer on screen (after decoding with BarcodeDetector or jsQR, hashing, looking the
code up in the device's copy; the server's answer follows).

    .venv/bin/python bench/checkin.py             # 97 codes
    BENCH_CODES=20 .venv/bin/python bench/checkin.py
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="sasaeru-bench-")
ENV = {
    "DATABASE_URL": f"sqlite:///{WORKDIR}/bench.sqlite3",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "true",  # runserver serves the static files
    "SECRET_KEY": "bench-only",
    "SASAERU_VAR_DIR": WORKDIR,
    "LOG_LEVEL": "WARNING",
    "SECOND_FACTOR_REQUIRED": "false",
    "PYTHONWARNINGS": "ignore",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

CODES = int(os.environ.get("BENCH_CODES", "97"))
GOAL = 1.0  # seconds from code in view to answer shown
FPS, HOLD, GAP = 10, 15, 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def arrange():
    import datetime as dt

    from core.fiscal import TOKYO
    from directory.models import User
    from training.models import Event, Registration

    staff = User.objects.create_user(username="bench", password="bench-pw", role="center")
    starts = dt.datetime.now(TOKYO).replace(microsecond=0) - dt.timedelta(minutes=10)
    event = Event.objects.create(
        title="ひきこもりに関する理解と支援", kind="lecture", status="published",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3), venue="ホール",
    )  # fmt: skip
    registrations = []
    for n in range(CODES):
        registration = Registration(
            event=event, name=f"受講 {n + 1}", kana=f"じゅこう {n + 1}", affiliation_type="municipal",
            source="phone", status="confirmed", phone="088-000-0000",
        )  # fmt: skip
        registration.set_secrets(needs_confirmation=False, now=starts)
        registrations.append(registration)
    Registration.objects.bulk_create(registrations)
    return staff, event, [r.checkin_code for r in registrations]


def main():
    from playwright.sync_api import sync_playwright

    from tests.attendance.camera import Shot, camera_args, write_y4m

    call_command("migrate", verbosity=0)
    _staff, event, codes = arrange()
    video = Path(WORKDIR) / "codes.y4m"
    shots = []
    for code in codes:
        shots += [Shot(None, GAP), Shot(code, HOLD)]
    starts = write_y4m(video, [*shots, Shot(None, 10 * FPS)], fps=FPS)
    in_view = starts[1::2]  # the frame at which each code appears

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", *camera_args(video)],
            )
            page = browser.new_context(
                viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True
            ).new_page()
            page.goto(base + "/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", "bench-pw")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{base}/attendance/events/{event.pk}/check-in/qr/")
            page.wait_for_selector("body[data-door-ready=true]")
            page.evaluate("window.__doorFrames = []")
            page.click("#door-start")
            deadline = time.monotonic() + sum(shot.frames for shot in shots) / FPS + 60
            while time.monotonic() < deadline:
                if page.evaluate("window.__doorLog.length") >= len(codes):
                    break
                time.sleep(0.5)
            log = page.evaluate("window.__doorLog")
            frames = page.evaluate("window.__doorFrames")
            decoder = page.locator("#door-camera").get_attribute("data-decoder")
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    index = {code: n for n, code in enumerate(codes)}
    latencies = []
    for item in log:
        n = index.get(item["text"])
        if n is None or item["result"] != "checked_in":
            continue
        appears = in_view[n] / FPS
        shown = [at for media_time, at in frames if media_time >= appears - 0.001]
        if shown:
            latencies.append((item["shownAt"] - shown[0]) / 1000)
    print(f"codes shown to the camera        {len(codes)}")
    print(f"answers shown (checked in)       {len(latencies)}  (decoder: {decoder})")
    if latencies:
        median = statistics.median(latencies)
        print(
            f"code in view -> answer shown     median {median:.2f} s, "
            f"90th percentile {sorted(latencies)[int(len(latencies) * 0.9) - 1]:.2f} s, "
            f"max {max(latencies):.2f} s   (goal: under {GOAL:.0f} s per person)"
        )
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
