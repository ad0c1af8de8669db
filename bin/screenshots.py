"""Screenshots of each persona's main pages (run by bin/screenshots against a demo server).

    python bin/screenshots.py http://127.0.0.1:PORT docs/screenshots

Desktop 1366×900 and phone 390×844, Japanese, the top of each page; PNGs reduced to 256
colors so they stay small in the repository."""

import os
import re
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "sasaeru-demo"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PERSONAS = {
    # persona: (username or None, [(name, path), ...]); "{event}" is the first open training,
    # "{survey}" the questionnaire results of the training with the most answers ($SURVEY_EVENT),
    # shown from its section's heading.
    "public": (None, [("home", "/"), ("trainings", "/training/"), ("event", "{event}")]),
    "municipal": (
        "ino",
        [("home", "/"), ("visits", "/supervision/"), ("calendar", "/calendar/links/")],
    ),
    "health-office": ("hata", [("home", "/")]),
    "center": (
        "center",
        [
            ("home", "/"),
            ("visits", "/supervision/"),
            ("planning", "/supervision/calendar/"),
            ("survey", "{survey}"),
        ],
    ),
}


def first_event(page, base: str) -> str:
    page.goto(base + "/training/")
    href = page.locator(".event-card h2 a, .event-card h3 a").first.get_attribute("href")
    return href or "/training/"


def shrink(path: Path) -> None:
    with Image.open(path) as image:
        image.convert("RGB").quantize(256).save(path, optimize=True)


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, viewport in SIZES.items():
            for persona, (username, pages) in PERSONAS.items():
                context = browser.new_context(
                    viewport=viewport, locale="ja-JP", is_mobile=size == "phone"
                )
                page = context.new_page()
                if username:
                    page.goto(base + "/login/")
                    page.fill("#id_username", username)
                    page.fill("#id_password", PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                for name, path in pages:
                    if path == "{event}":
                        path = first_event(page, base)
                    if path == "{survey}":
                        if not os.environ.get("SURVEY_EVENT"):
                            continue
                        path = f"/training/staff/events/{os.environ['SURVEY_EVENT']}/"
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if name == "survey":
                        page.evaluate("document.getElementById('survey').scrollIntoView()")
                    target = out / f"{persona}-{name}-{size}.png"
                    page.screenshot(path=str(target))
                    shrink(target)
                    print(target, re.sub(r"\s+", " ", page.title()))
                context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
