"""Benchmark of attendance (issue 5). Rerunnable; prints, never asserts.

In a fresh database, an online lecture with BENCH_ENTRIES people on its roster (default 500):

1. parsing a Zoom participant report of BENCH_ROWS rows (default 3,000: everyone rejoining
   a few times, plus guests) and importing it (matching, statuses), with its queries;
2. the A4 sign-in sheet PDF of the whole roster;
3. the CSV and XLSX exports.

    .venv/bin/python bench/attendance.py            # SQLite in a temporary directory
    DATABASE_URL=postgres://… .venv/bin/python bench/attendance.py
"""

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="sasaeru-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # plain HTTP, no TLS proxy
os.environ["SASAERU_VAR_DIR"] = WORKDIR
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "500"))
ROWS = int(os.environ.get("BENCH_ROWS", "3000"))


def timed(label, func):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
    print(f"{label:<48} {elapsed * 1000:9.1f} ms {len(queries):6d} queries")
    return result


def main():
    call_command("migrate", verbosity=0)
    from attendance import documents, services
    from attendance.imports import parse_participant_report
    from attendance.models import RosterEntry
    from core import exports
    from core.fiscal import TOKYO
    from training.models import Event

    start = dt.datetime(2021, 11, 11, 14, tzinfo=TOKYO)
    event = Event.objects.create(
        title="ひきこもりケースのアセスメント", kind="online_lecture", status="published",
        starts_at=start, ends_at=start + dt.timedelta(hours=2),
    )  # fmt: skip
    entries = []
    for n in range(ENTRIES):
        entry = RosterEntry(
            event=event, source="walk_in", name=f"受講 {n}", kana=f"じゅこう {n}",
            email=f"t{n}@example.jp", affiliation_type="municipal",
        )  # fmt: skip
        entry.fill_keys()
        entries.append(entry)
    RosterEntry.objects.bulk_create(entries)

    lines = ["名前（元の名前）,ユーザーメール,参加時刻,退出時刻,期間（分）"]
    for row in range(ROWS):
        n = row % (ENTRIES + 50)
        email = f"t{n}@example.jp" if n < ENTRIES else ""
        join = start + dt.timedelta(minutes=row // (ENTRIES + 50) * 20)
        leave = join + dt.timedelta(minutes=19)
        lines.append(f"受講 {n},{email},{join:%Y/%m/%d %H:%M:%S},{leave:%Y/%m/%d %H:%M:%S},19")
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    print(
        f"roster {ENTRIES} people, report {ROWS} rows ({len(data) // 1024} KiB), {connection.vendor}"
    )

    timed("parse the report", lambda: parse_participant_report(data))
    result = timed(
        "import (parse, match, record)",
        lambda: services.import_online_attendance(
            event=event, user=None, data=data, filename="b.csv"
        ),
    )
    print(f"  matched {result.attendees.exclude(entry=None).count()}, "
          f"unmatched {result.attendees.filter(entry=None).count()}")  # fmt: skip
    rows = list(RosterEntry.objects.filter(event=event))
    if documents.FONT_PATH.is_file():
        header = documents.SheetHeader(event.title, event.starts_at, event.ends_at, "オンライン")
        sheet = [documents.SheetRow(e.name, e.kana, e.organization, e.job_title) for e in rows]
        pdf = timed("sign-in sheet PDF", lambda: documents.sign_in_sheet_pdf(header, sheet))
        print(f"  {len(pdf) // 1024} KiB")
    table = [[e.name, e.kana, e.status, e.attended_minutes] for e in rows]
    timed("CSV export", lambda: exports.table_csv(["氏名", "ふりがな", "出欠", "分"], table))
    timed("XLSX export", lambda: exports.table_xlsx(["氏名", "ふりがな", "出欠", "分"], table))


if __name__ == "__main__":
    main()
