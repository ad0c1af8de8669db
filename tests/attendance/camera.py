"""A fake camera for the 「QRで受付」 browser tests and bench/checkin.py: a Y4M video of QR
codes (segno) on a white page (Pillow), for Chromium's
``--use-file-for-fake-video-capture``. Each code is held for some frames, with blank frames
between, so the page sees it come into view, read it once, and go."""

import io
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image

WIDTH, HEIGHT = 320, 240
FPS = 10
CHROMIUM_CAMERA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


@dataclass(frozen=True)
class Shot:
    """``text`` (None: an empty page) held for ``frames`` frames."""

    text: str | None
    frames: int


def _frame(text: str | None) -> bytes:
    """One 4:2:0 frame: the luma of the page with the code in the middle, neutral chroma."""
    page = Image.new("L", (WIDTH, HEIGHT), 255)
    if text is not None:
        buffer = io.BytesIO()
        segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=5, border=4)
        code = Image.open(buffer).convert("L")
        page.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    return b"FRAME\n" + page.tobytes() + chroma + chroma


def write_y4m(path: Path, shots: list[Shot], *, fps: int = FPS) -> list[int]:
    """Write the video; answers the frame at which each shot starts."""
    starts, frame = [], 0
    cache: dict[str | None, bytes] = {}
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for shot in shots:
            starts.append(frame)
            data = cache.setdefault(shot.text, _frame(shot.text))
            for _ in range(shot.frames):
                video.write(data)
            frame += shot.frames
    return starts


def camera_args(video: Path) -> list[str]:
    return [*CHROMIUM_CAMERA_ARGS, f"--use-file-for-fake-video-capture={video}"]


def codes_in_view(texts: list[str | None], *, hold: int, gap: int, tail: int) -> list[Shot]:
    """Each text held ``hold`` frames after ``gap`` blank ones, then ``tail`` blank frames."""
    shots = []
    for text in texts:
        shots += [Shot(None, gap), Shot(text, hold)]
    return [*shots, Shot(None, tail)]
