"""A crawler for the done-when tests of another prefecture: from a few start pages, every
same-site link a user is offered (pages, PDFs, exports, feeds), a few of each URL pattern, with
the server errors and the words that must not appear."""

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Kochi's words (domain guide, "Kochi's words are Kochi's"): its place names, its health offices'
# name, its community-center program, its youth gathering and its goal for R5.
KOCHI_WORDS = (
    "高知",
    "こうち",
    "Kochi",
    "幡多",
    "いの町",
    "四万十",
    "須崎",
    "安芸",
    "土佐",
    "宿毛",
    "室戸",
    "福祉保健所",
    "あったかふれあい",
    "青年期の集い",
    "令和5年度までに",
    "%(health_office)s",
    "%(prefecture_kind)s",
)

HREF = re.compile(r'(?:href|src)="(/[^"]*)"')
SKIP = ("/static/", "/logout/", "/i18n/", "/admin/logout/", "/healthz")


def kochi_words_in(text: str) -> list[str]:
    return [word for word in KOCHI_WORDS if word in text]


@dataclass
class Crawl:
    client: Client
    per_pattern: int = 3
    limit: int = 600
    seen: set = field(default_factory=set)
    statuses: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    hits: dict = field(default_factory=dict)
    _patterns: Counter = field(default_factory=Counter)

    def _key(self, url: str):
        parts = urlsplit(url)
        try:
            route = resolve(parts.path).route
        except Resolver404:
            route = parts.path
        return route, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))

    def run(self, *starts: str) -> "Crawl":
        queue = list(starts)
        while queue and len(self.seen) < self.limit:
            url = urldefrag(queue.pop(0)).url.replace("&amp;", "&")
            if url in self.seen or url.startswith(SKIP):
                continue
            key = self._key(url)
            if url not in starts and self._patterns[key] >= self.per_pattern:
                continue
            self._patterns[key] += 1
            self.seen.add(url)
            response = self.client.get(url)
            self.statuses[url] = response.status_code
            if response.status_code >= 500:
                self.errors.append(url)
                continue
            body = b"".join(response) if response.streaming else response.content
            text = self.text_of(body, response.get("Content-Type", ""))
            # The choice of Japan's 47 prefectures (the center's profile) names them all.
            text = re.sub(r'<select name="prefecture".*?</select>', "", text, flags=re.S)
            found = kochi_words_in(text)
            if found:
                self.hits[url] = found
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                queue.extend(HREF.findall(text))
        return self

    @staticmethod
    def text_of(body: bytes, content_type: str) -> str:
        if "pdf" in content_type:
            import io

            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(body))
            return "".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
        if "spreadsheet" in content_type:
            import io

            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(body))
            return "\n".join(
                str(cell)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
        return body.decode("utf-8", "replace").replace("\r\n ", "")


def every_mail(objects: dict, *, waitlisted=None) -> dict[str, str]:
    """Every registered message kind rendered in Japanese from real rows, as the sender would
    (``objects``: one row per model a kind is about; ``waitlisted``: a waitlisted registration
    for the waitlist kinds): code → subject, body and text attachments, or the exception's
    name when rendering failed (a server error in the worker)."""
    from django.utils import timezone, translation

    from directory.models import User
    from notifications.models import Dispatch
    from notifications.registry import all_kinds

    texts = {}
    for kind in all_kinds():
        model = kind.queryset().model if kind.queryset else User
        row = waitlisted if "waitlist" in kind.code and waitlisted is not None else objects[model]
        obj = kind.queryset().get(pk=row.pk) if kind.queryset else row
        dispatch = Dispatch(
            kind=kind.code,
            obj=obj,
            recipient="someone@example.jp",
            recipient_name="誰か",
            due_at=timezone.now(),
            language="ja",
        )
        try:
            with translation.override("ja"):
                message = kind.render(dispatch)
        except Exception as error:
            texts[kind.code] = f"ERROR {type(error).__name__}: {error}"
            continue
        parts = [message.subject, message.body]
        for attachment in message.attachments:
            content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
            parts.append(content.decode() if isinstance(content, bytes) else str(content))
        texts[kind.code] = "\n".join(parts)
    return texts
