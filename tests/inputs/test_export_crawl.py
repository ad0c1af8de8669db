"""Every CSV and XLSX the application writes is formula-safe (issue #23): the demo data gets
formula-like values planted in its names, titles and notes, a crawl of the staff pages (as the
center and as a municipality) fetches every response with a CSV or XLSX content type, and no
cell of any of them is a formula or text Excel would read as one. Each export must show a
planted value, so a test that reached none could not pass."""

import csv
import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from directory.models import User
from training.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINK = re.compile(r'(?:href|action)="([^"#]+)"')
SKIP = ("/logout/", "/i18n/", "/static/", "/admin/", "/api/", "/calendar/")
PAGES_AT_MOST = 600
PER_PATTERN = 3
"""Pages of one shape (``/training/staff/events/N/``, any query) fetched at most, so that the
crawl reaches every kind of page instead of every calendar month; each event's page is also
a starting point (its files are what the test is about), and every file (.csv, .xlsx) linked
from the pages reached is fetched."""
APPS = ("directory", "training", "attendance", "supervision", "reports", "notifications", "surveys")
PLANTED_FIELDS = {
    "name", "title", "organization", "office_name", "job_title", "department", "venue",
    "note", "notes", "original_name", "affiliation", "summary", "description",
    "text",  # a questionnaire's questions and free-text answers
}  # fmt: skip
PREFIXES = ("=", "+", "-", "@", '=HYPERLINK("http://example.com","')
MARK = "PLANT"
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def plant() -> int:
    """Prefix the names, titles and notes of every row with a formula start and MARK."""
    planted = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.concrete_fields:
            if not (
                isinstance(field, models.CharField | models.TextField)
                and field.name in PLANTED_FIELDS
                and not field.choices
                and (field.max_length or 1000) >= 20
            ):
                continue
            for pk, value in model.objects.values_list("pk", field.name):
                prefix = PREFIXES[pk % len(PREFIXES)]
                text = f"{prefix}{MARK}{pk} {value or ''}"[: field.max_length or 1000]
                model.objects.filter(pk=pk).update(**{field.name: text})
                planted += 1
    return planted


def exports_by_crawl(client: Client) -> dict[str, object]:
    """Every same-site response reachable from the home page with a CSV or XLSX type."""
    seen, found, per_pattern = set(), {}, {}
    starts = [
        "/",
        *(f"/training/staff/events/{pk}/" for pk in Event.objects.values_list("pk", flat=True)),
    ]
    starts += [f"/attendance/events/{pk}/" for pk in Event.objects.values_list("pk", flat=True)]
    queue = deque(starts)
    while queue and len(seen) < PAGES_AT_MOST:
        url = queue.popleft()
        pattern = re.sub(r"\d+", "N", urlsplit(url).path)
        free = pattern.endswith((".csv", ".xlsx")) or url in starts
        if url in seen or (per_pattern.get(pattern, 0) >= PER_PATTERN and not free):
            continue
        seen.add(url)
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if kind in (CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE) or "csv" in kind or "sheet" in kind:
            found[url] = response
        if "html" not in kind:
            continue
        for link in LINK.findall(response.content.decode()):
            target = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.netloc and path.startswith("/") and not path.startswith(SKIP):
                queue.append(path)
    return found


def cells(response) -> list[tuple[str, str]]:
    """(cell text, how it is stored) of a CSV or XLSX response."""
    if "csv" in response["Content-Type"]:
        text = response.content.decode("utf-8-sig")
        return [(cell, "text") for row in csv.reader(io.StringIO(text)) for cell in row]
    book = load_workbook(io.BytesIO(response.content))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                how = "quoted" if cell.quotePrefix else "text"
                found.append((str(cell.value), "formula" if cell.data_type == "f" else how))
    return found


def unsafe(text: str, how: str, kind: str) -> bool:
    if how == "formula":
        return True
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")) or NUMBER.fullmatch(text):
        return False
    return not (kind == "xlsx" and how == "quoted")


@pytest.fixture
def planted_demo(db):
    call_command("load_demo", stdout=io.StringIO())
    assert plant() > 100


@pytest.mark.parametrize("username", ["center", "ino"])
def test_every_export_reached_by_a_crawl_is_formula_safe(planted_demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))

    found = exports_by_crawl(client)

    wrong, planted_in = [], {}
    for url, response in found.items():
        kind = "csv" if "csv" in response["Content-Type"] else "xlsx"
        values = cells(response)
        wrong += [f"{url}: {text[:40]!r}" for text, how in values if unsafe(text, how, kind)]
        pattern = re.sub(r"\d+", "N", urlsplit(url).path)
        planted_in[pattern] = planted_in.get(pattern, False) or any(MARK in t for t, _ in values)
    assert wrong == []
    assert [pattern for pattern, planted in planted_in.items() if not planted] == []
    if username == "center":
        assert {
            "/account/areas/districts.csv",
            "/account/areas/blocks.csv",
            "/attendance/events/N/roster.csv",
            "/attendance/events/N/roster.xlsx",
            "/training/staff/events/N/registrations.csv",
        } <= set(planted_in)
